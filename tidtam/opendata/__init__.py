"""Open data: a fiscal year's public record as a Frictionless Data Package, and Atom feeds of
newly approved reports. Both show exactly what the public pages show, read through the same
visibility rules as an anonymous visitor. Nothing imports it but the URL configuration."""
