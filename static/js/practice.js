// quizapp practice form: once one dataset is chosen, only its agreements are shown. A hidden
// group is also disabled, so its ticked boxes are not sent; without JavaScript every group
// stays visible and the server refuses agreements of another dataset.
(function () {
  "use strict";

  var radios = document.querySelectorAll('input[type="radio"][name="dataset"]');
  var groups = document.querySelectorAll("fieldset.agreement-group");
  if (!radios.length || !groups.length) return;

  function chosen() {
    var checked = document.querySelector('input[type="radio"][name="dataset"]:checked');
    return checked ? checked.value : "";
  }

  function show() {
    var name = chosen();
    groups.forEach(function (group) {
      var other = name !== "" && group.getAttribute("data-dataset") !== name;
      group.hidden = other;
      group.disabled = other;
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
