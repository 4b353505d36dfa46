(function () {
  "use strict";
  var active = { severity: "all", category: "all" };
  var cards = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var shown = document.getElementById("shown");

  function apply() {
    var visible = 0;
    cards.forEach(function (card) {
      var ok = ["severity", "category"].every(function (key) {
        return active[key] === "all" || card.dataset[key] === active[key];
      });
      card.hidden = !ok;
      if (ok) { visible += 1; }
    });
    if (shown) { shown.textContent = visible + " of " + cards.length + " shown"; }
  }

  document.querySelectorAll(".filter-group").forEach(function (group) {
    var key = group.dataset.filter;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      active[key] = button.dataset.value;
      group.querySelectorAll("button").forEach(function (other) {
        other.classList.toggle("active", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      apply();
    });
  });
  apply();
})();
