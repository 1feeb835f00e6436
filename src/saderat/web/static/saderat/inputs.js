/* Inputs a clerk types into (saderat.web.common.fields):
 *
 * - input[data-jdp]: the Jalali date picker (@majidh1/jalalidatepicker). Typing still works (the box is never
 *   made read-only); with the keyboard: Alt+ArrowDown opens the picker, ArrowUp/ArrowDown move one day,
 *   PageUp/PageDown one month, Enter or Escape closes it, Tab moves on. The picker's range comes from
 *   data-jdp-min-date / data-jdp-max-date (the field's plausible years).
 * - [data-lookup="<kind>"]: an autocomplete (tom-select) fed by /lookups/<kind>/?q=…; a <select> is searched
 *   in place. data-lookup-multiple takes several codes (comma-separated), data-lookup-create accepts a code
 *   that is not in the list, data-lookup-switch="<field>" + data-lookup-kinds="choice=kind[:level];…" change
 *   the kind with another field (the target's scope). Without JavaScript every box is a plain input.
 *
 * No inline script and no eval (the Content-Security-Policy forbids both).
 */
(function () {
  "use strict";

  var lang = (document.documentElement.getAttribute("lang") || "fa").toLowerCase();
  var persian = lang.indexOf("fa") === 0;
  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

  function latinDigits(text) {
    return String(text).replace(/[۰-۹]/g, function (d) {
      return String(d.charCodeAt(0) - 0x06f0);
    }).replace(/[٠-٩]/g, function (d) {
      return String(d.charCodeAt(0) - 0x0660);
    });
  }

  function localDigits(text) {
    return persian ? String(text).replace(/[0-9]/g, function (d) { return FA_DIGITS[+d]; }) : String(text);
  }

  /* ---- Jalali arithmetic (enough to step a day or a month) ---------------------------------------- */

  function isLeap(year) {
    // The 33-year arithmetic rule; exact for the years this application accepts (1350-1450).
    return ((25 * year + 11) % 33) < 8;
  }

  function monthLength(year, month) {
    if (month <= 6) return 31;
    if (month <= 11) return 30;
    return isLeap(year) ? 30 : 29;
  }

  function parseDate(text) {
    var parts = latinDigits(text || "").trim().split(/[\/\-.]/);
    if (parts.length !== 3 || parts[0].length !== 4) return null;
    var y = parseInt(parts[0], 10), m = parseInt(parts[1], 10), d = parseInt(parts[2], 10);
    if (!(y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= monthLength(y, m))) return null;
    return { year: y, month: m, day: d };
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function formatDate(date) {
    return localDigits(date.year + "/" + pad(date.month) + "/" + pad(date.day));
  }

  function addDays(date, days) {
    var y = date.year, m = date.month, d = date.day + days;
    while (d < 1) {
      m -= 1;
      if (m < 1) { m = 12; y -= 1; }
      d += monthLength(y, m);
    }
    while (d > monthLength(y, m)) {
      d -= monthLength(y, m);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return { year: y, month: m, day: d };
  }

  function addMonths(date, months) {
    var index = date.year * 12 + (date.month - 1) + months;
    var y = Math.floor(index / 12), m = (index % 12) + 1;
    return { year: y, month: m, day: Math.min(date.day, monthLength(y, m)) };
  }

  /* ---- Date picker --------------------------------------------------------------------------------- */

  var MONTHS_EN = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar",
    "Dey", "Bahman", "Esfand"];
  var DAYS_EN = ["Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"];

  function pickerOpen() {
    var box = document.querySelector("jdp-container");
    return !!(box && box.style.visibility !== "hidden" && box.style.display !== "none");
  }

  function englishButtons() {
    if (persian) return;
    var box = document.querySelector("jdp-container");
    if (!box) return;
    var words = { "امروز": "Today", "خالی": "Clear", "بستن": "Close", "انتخاب": "Select" };
    box.querySelectorAll(".jdp-btn-today, .jdp-btn-empty, .jdp-btn-close, .jdp-btn-select")
      .forEach(function (button) {
        var text = (button.textContent || "").trim();
        if (words[text]) button.textContent = words[text];
      });
  }

  // show() makes the picker visible again 300 ms later (its transition): a close undoes a pending show.
  var closeStamp = 0;

  function show(input) {
    closeStamp += 1;
    window.jalaliDatepicker.show(input);
    englishButtons();
  }

  function closePicker() {
    var stamp = ++closeStamp;
    window.jalaliDatepicker.hide();
    window.setTimeout(function () {
      if (stamp === closeStamp) window.jalaliDatepicker.hide();
    }, 350);
  }

  function setDate(input, date) {
    input.value = formatDate(date);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    show(input);
  }

  function today() {
    var parts = {};
    new Intl.DateTimeFormat("en-US-u-ca-persian", { year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(new Date())
      .forEach(function (part) { parts[part.type] = parseInt(latinDigits(part.value), 10); });
    return { year: parts.year, month: parts.month, day: parts.day };
  }

  function onDateKey(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-jdp")) return;
    var key = event.key;
    if (key === "ArrowDown" && event.altKey) {
      event.preventDefault();
      show(input);
      return;
    }
    if (key === "Tab") {
      closePicker();
      return;
    }
    if (key === "Escape" && pickerOpen()) {
      // The picker ignores Escape during its opening transition; this closes it at once.
      closePicker();
      return;
    }
    if (key === "Enter" && pickerOpen()) {
      event.preventDefault();
      closePicker();
      return;
    }
    var steps = { ArrowUp: [0, -1], ArrowDown: [0, 1], PageUp: [-1, 0], PageDown: [1, 0] };
    if (!steps[key] || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    var current = parseDate(input.value);
    if (!current) {
      setDate(input, today());
      return;
    }
    var step = steps[key];
    var days = event.shiftKey ? step[1] * 7 : step[1];
    setDate(input, step[0] ? addMonths(current, step[0]) : addDays(current, days));
  }

  function onDateTyped(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-jdp") || event.isTrusted === false) return;
    // A whole date typed: the open picker turns to its month.
    if (parseDate(input.value) && pickerOpen()) show(input);
  }

  /* The picker reads and writes the box's value with Latin digits only (a Persian ۱۴۰۴/۰۹/۱۰ reads as no
   * date). On the Persian pages each date box therefore answers scripts in Latin digits and shows what is
   * written into it in Persian digits; what the clerk types is left as typed (the server reads both). */
  var nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");

  function bilingualValue(input) {
    if (!persian || input.__saderatValue) return;
    input.__saderatValue = true;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () { return latinDigits(nativeValue.get.call(this)); },
      set: function (text) { nativeValue.set.call(this, localDigits(text == null ? "" : text)); },
    });
  }

  function prepareDateBoxes(root) {
    (root || document).querySelectorAll("input[data-jdp]").forEach(bilingualValue);
  }

  function startPicker() {
    if (!window.jalaliDatepicker || !document.querySelector("input[data-jdp]")) return;
    var options = {
      selector: "input[data-jdp]",
      minDate: "attr",
      maxDate: "attr",
      autoReadOnlyInput: false,
      persianDigits: persian,
      showTodayBtn: true,
      showEmptyBtn: true,
      showCloseBtn: true,
      hideAfterChange: true,
      zIndex: 1060,
    };
    if (!persian) {
      options.months = MONTHS_EN;
      options.days = DAYS_EN;
    }
    prepareDateBoxes(document);
    // Before the picker's own focus handler (window capture runs first): boxes added later are prepared.
    window.addEventListener("focus", function (event) {
      if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-jdp")) {
        bilingualValue(event.target);
      }
    }, true);
    window.jalaliDatepicker.startWatch(options);
    document.addEventListener("keydown", onDateKey, true);
    document.addEventListener("input", onDateTyped);
    document.addEventListener("focusin", function (event) {
      if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-jdp")) {
        window.setTimeout(englishButtons, 0);
      }
    });
  }

  /* ---- Lookups ------------------------------------------------------------------------------------- */

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function kindFromSwitch(el) {
    var name = el.getAttribute("data-lookup-switch");
    var control = el.form && el.form.elements[name];
    if (!control) return null;
    var found = null;
    (el.getAttribute("data-lookup-kinds") || "").split(";").forEach(function (pair) {
      var bits = pair.split("=");
      if (bits[0] === control.value) found = bits[1];
    });
    return found;
  }

  function lookupUrl(el, kind, level, query) {
    var base = el.getAttribute("data-lookup-base") || "/lookups/";
    var url = base + encodeURIComponent(kind) + "/?q=" + encodeURIComponent(query);
    if (level) url += "&level=" + encodeURIComponent(level);
    ["province"].forEach(function (key) {
      var value = el.getAttribute("data-lookup-" + key);
      if (value) url += "&" + key + "=" + encodeURIComponent(value);
    });
    return url;
  }

  function remoteLookup(el, spec) {
    var bits = spec.split(":");
    var kind = bits[0], level = bits[1] || "";
    var multiple = el.hasAttribute("data-lookup-multiple");
    var create = el.hasAttribute("data-lookup-create");
    var label = el.getAttribute("data-lookup-label");
    var values = el.value ? el.value.split(",").map(function (v) { return v.trim(); }).filter(Boolean) : [];
    var options = values.map(function (v) { return { value: v, text: (!multiple && label) || v }; });
    var none = el.getAttribute("data-lookup-none") || "";
    var add = el.getAttribute("data-lookup-add") || "";
    return new window.TomSelect(el, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      options: options,
      items: values,
      maxItems: multiple ? null : 1,
      delimiter: ",",
      persist: false,
      create: create ? function (input) {
        var code = latinDigits(input).trim();
        return { value: code, text: code };
      } : false,
      createOnBlur: create,
      loadThrottle: 250,
      plugins: multiple ? ["remove_button"] : [],
      shouldLoad: function (query) { return query.trim().length >= 1; },
      // The server has filtered already (codes, Persian and English names): keep its order, hide nothing.
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        var self = this;
        fetch(lookupUrl(el, kind, level, query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (data) {
          self.clearOptions();
          callback(data.results || []);
        }).catch(function () {
          callback();
        });
      },
      render: {
        no_results: function () { return '<div class="no-results small text-muted">' + escapeHtml(none) + "</div>"; },
        option_create: function (data, escape) {
          return '<div class="create">' + escapeHtml(add) + " <strong>" + escape(data.input) + "</strong></div>";
        },
      },
    });
  }

  function initLookup(el) {
    if (!window.TomSelect || el.tomselect) return;
    if (el.tagName === "SELECT") {
      new window.TomSelect(el, { maxOptions: null, allowEmptyOption: true, create: false });
      return;
    }
    var spec = el.hasAttribute("data-lookup-switch") ? kindFromSwitch(el) : el.getAttribute("data-lookup");
    if (spec) remoteLookup(el, spec);
  }

  function startLookups(root) {
    (root || document).querySelectorAll("[data-lookup]").forEach(function (el) {
      initLookup(el);
      if (el.hasAttribute("data-lookup-switch") && !el.dataset.lookupWatching) {
        var control = el.form && el.form.elements[el.getAttribute("data-lookup-switch")];
        if (!control) return;
        el.dataset.lookupWatching = "1";
        control.addEventListener("change", function () {
          if (el.tomselect) {
            el.tomselect.destroy();
          }
          el.value = "";
          el.removeAttribute("data-lookup-label");
          initLookup(el);
        });
      }
    });
  }

  function start() {
    startPicker();
    startLookups(document);
    // Forms that htmx swaps in get their boxes too.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      prepareDateBoxes(event.target);
      startLookups(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
