// Tag autocomplete for the work form: progressive enhancement only (the form works
// without it). Each tag input with data-autocomplete="KIND" gets a <datalist> filled
// from /autocomplete/tag with names completing the tag being typed after the last comma.
(function () {
  "use strict";
  function setup(input) {
    var kind = input.getAttribute("data-autocomplete");
    var list = document.createElement("datalist");
    list.id = input.id + "_autocomplete";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        var cut = value.lastIndexOf(",");
        var head = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
        var term = value.slice(cut + 1).trim();
        if (term.length < 2) { return; }
        var url = "/autocomplete/tag?kind=" + encodeURIComponent(kind) +
          "&term=" + encodeURIComponent(term);
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (names) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            names.forEach(function (name) {
              var option = document.createElement("option");
              option.value = head + name;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }
  document.querySelectorAll("input[data-autocomplete]").forEach(setup);
})();
