/* Name suggestions for the inputs that pick an entity (merge with…, put in a role…): as the user types, the
   input's datalist is filled from /api/entities/suggest with "Name [id]" values, which the server reads back as
   the entity. Without JavaScript the forms still work: the server accepts a name that only one entity has. */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (text.length < 2 || text === asked || /\[[^\]]+\]$/.test(text)) { return; }
      timer = setTimeout(function () {
        asked = text;
        fetch("/api/entities/suggest?limit=12&q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { entities: [] }; })
          .then(function (data) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            data.entities.forEach(function (e) {
              var option = document.createElement("option");
              option.value = e.label;
              option.textContent = e.type + (e.country ? " · " + e.country : "");
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions: the typed name is still sent */ });
      }, 200);
    });
  });
})();
