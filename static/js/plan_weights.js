// The plan editor's weight total, updated as the officer types. The server still checks the
// total when the plan is saved; this only saves a round trip. The rows are redrawn by HTMX,
// so the listener sits on the document.
(function () {
  "use strict";
  var WEIGHT = /^step-\d+-weight$/;

  function update() {
    var cell = document.getElementById("plan-total");
    if (!cell) {
      return;
    }
    var total = 0;
    var valid = true;
    document.querySelectorAll("#plan-rows input").forEach(function (input) {
      if (!WEIGHT.test(input.name)) {
        return;
      }
      // A number field holding something that is not a number reads as empty: say "?".
      if (input.validity && input.validity.badInput) {
        valid = false;
        return;
      }
      var text = input.value.trim();
      if (text === "") {
        return;
      }
      var value = Number(text);
      if (isNaN(value)) {
        valid = false;
      } else {
        total += value;
      }
    });
    cell.textContent = valid ? total.toFixed(2) : "?";
    cell.classList.toggle("off", !valid || Math.abs(total - 100) > 0.005);
  }

  document.addEventListener("input", function (event) {
    if (event.target && WEIGHT.test(event.target.name || "")) {
      update();
    }
  });
  // A redraw of the rows settles the total cell's attributes about 20 ms after the swap
  // (htmx puts the old cell's attributes on the new one, then the server's): weights typed
  // meanwhile would have their "off" state overwritten by the server's. Count again then.
  document.addEventListener("htmx:afterSettle", update);
})();
