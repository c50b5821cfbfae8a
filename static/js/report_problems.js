// The report form's "Add another problem" button: one more empty row of the problem formset.
(function () {
  "use strict";
  var button = document.getElementById("add-problem");
  if (!button) {
    return;
  }
  button.addEventListener("click", function () {
    var total = document.getElementById("id_problem-TOTAL_FORMS");
    var row = document.getElementById("new-problem-row").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("new-problems").insertAdjacentHTML("beforeend", row);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
