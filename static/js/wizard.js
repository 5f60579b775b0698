/* Wizard enhancements: show and hide dependent questions as answers change, and move focus to
 * the error summary. Progressive enhancement only: the server decides what is visible and valid,
 * and every page works without this file. The show_if conditions arrive as JSON trees
 * (planner.wizard.condition_tree) and follow planner.conditions' semantics: an unanswered value
 * makes every comparison false. Also warns before leaving the page with unsaved edits. */
(function () {
  "use strict";

  var form = document.getElementById("wizard-form");
  if (!form) {
    return;
  }

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  var context = {};
  try {
    context = JSON.parse(form.getAttribute("data-answers") || "{}");
  } catch (e) {
    context = {};
  }

  // What counts as a whole number and as "not answered" comes from the server (planner.catalog
  // and planner.answers), so the browser and the server apply the same tests.
  var INTEGER = new RegExp("^(?:" + (form.getAttribute("data-integer-pattern") || "[0-9]+") + ")$");
  var unansweredForms = (form.getAttribute("data-unanswered") || "null blank empty-list").split(" ");

  var questions = Array.prototype.map.call(form.querySelectorAll("[data-question]"), function (el) {
    var tree = null;
    var json = el.getAttribute("data-show-if-json");
    if (json) {
      try {
        tree = JSON.parse(json);
      } catch (e) {
        tree = null;
      }
    }
    return {
      el: el,
      key: el.getAttribute("data-question"),
      tree: tree,
      marker: el.querySelector('input[type="hidden"][name="shown"]'),
    };
  });

  function isUnanswered(v) {
    if (v === undefined || v === null) {
      return unansweredForms.indexOf("null") !== -1;
    }
    if (typeof v === "string") {
      return unansweredForms.indexOf("blank") !== -1 && v.trim() === "";
    }
    if (Array.isArray(v)) {
      return unansweredForms.indexOf("empty-list") !== -1 && v.length === 0;
    }
    return false;
  }

  function get(values, name) {
    var v = values[name];
    return isUnanswered(v) ? null : v;
  }

  function asList(v) {
    return Array.isArray(v) ? v : [v];
  }

  function same(a, b) {
    if (Array.isArray(a) || Array.isArray(b)) {
      return JSON.stringify(a) === JSON.stringify(b);
    }
    return a === b;
  }

  function isInt(v) {
    return typeof v === "number" && Number.isInteger(v);
  }

  function operand(node, values) {
    switch (node.t) {
      case "lit":
      case "list":
        return node.v;
      case "name":
        return get(values, node.n);
      case "call":
        if (node.f === "count") {
          var v = get(values, node.n);
          return v === null ? 0 : asList(v).length;
        }
        return holds(node, values);
      default:
        return holds(node, values);
    }
  }

  function compare(node, values) {
    var a = operand(node.l, values);
    if (a === null) {
      return false;
    }
    var b = operand(node.r, values);
    if (b === null) {
      return false;
    }
    switch (node.op) {
      case "<":
        return isInt(a) && isInt(b) && a < b;
      case "<=":
        return isInt(a) && isInt(b) && a <= b;
      case ">":
        return isInt(a) && isInt(b) && a > b;
      case ">=":
        return isInt(a) && isInt(b) && a >= b;
      case "==":
        return same(a, b);
      case "!=":
        return !same(a, b);
      case "in":
      case "not in":
        var found = asList(b).some(function (item) {
          return same(item, a);
        });
        return node.op === "in" ? found : !found;
      default:
        return false;
    }
  }

  function holds(node, values) {
    switch (node.t) {
      case "and":
        return node.e.every(function (e) {
          return holds(e, values);
        });
      case "or":
        return node.e.some(function (e) {
          return holds(e, values);
        });
      case "not":
        return !holds(node.e, values);
      case "cmp":
        return compare(node, values);
      case "name":
        return values[node.n] === true;
      case "lit":
        return Boolean(node.v);
      case "call":
        var v = get(values, node.n);
        if (node.f === "answered") {
          return v !== null;
        }
        if (node.f === "any_of") {
          return (
            v !== null &&
            asList(v).some(function (item) {
              return node.v.indexOf(item) !== -1;
            })
          );
        }
        return v !== null && asList(v).length > 0;
      default:
        return false;
    }
  }

  function currentValue(question) {
    var inputs = question.el.querySelectorAll('[name="' + question.key + '"]');
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio") {
        if (input.checked) {
          return input.value;
        }
      } else if (input.type === "checkbox") {
        if (input.checked) {
          chosen.push(input.value);
        }
      } else {
        var text = input.value.trim();
        if (input.getAttribute("inputmode") === "numeric" && INTEGER.test(text)) {
          return parseInt(text, 10);
        }
        return text;
      }
    }
    return inputs.length && inputs[0].type === "checkbox" ? chosen : null;
  }

  function update() {
    var values = Object.assign({}, context);
    questions.forEach(function (question) {
      var visible = !question.tree || holds(question.tree, values);
      question.el.hidden = !visible;
      if (question.marker) {
        question.marker.disabled = !visible;
      }
      var value = visible ? currentValue(question) : null;
      if (isUnanswered(value)) {
        delete values[question.key];
      } else {
        values[question.key] = value;
      }
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);

  // Warn before leaving the page with edits not yet saved (saving submits the form).
  var unsaved = false;
  function markUnsaved() {
    unsaved = true;
  }
  form.addEventListener("change", markUnsaved);
  form.addEventListener("input", markUnsaved);
  form.addEventListener("submit", function () {
    unsaved = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
