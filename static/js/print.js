// The print view's "Print" button: shown only where a script runs, it opens the browser's
// print dialog (the page is laid out for A4 already).
document.querySelectorAll(".print-now").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
