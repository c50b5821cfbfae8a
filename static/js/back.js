// "Back" links (data-back): with a script and a page of this site to return to, they go back
// in the browser's history, to the list as it was filtered; otherwise they follow their href
// (the unfiltered list). No inline handler, for a Content-Security-Policy without unsafe-inline.
document.querySelectorAll("a[data-back]").forEach((link) => {
  link.addEventListener("click", (event) => {
    if (document.referrer.startsWith(window.location.origin) && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
