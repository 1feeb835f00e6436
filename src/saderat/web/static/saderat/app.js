/*
 * Saderat web UI: charts (Apache ECharts), sortable/filterable tables, Persian number formatting.
 * Plain ES2019, no build step. Load after vendor/echarts.min.js and vendor/htmx.min.js.
 *
 * Charts: <div class="chart" data-chart-src="ID"></div> + <script type="application/json" id="ID">SPEC</script>
 *   SPEC = {"kind": "bar"|"line"|"treemap"|"map"|"pie", "title": str, "labels": [...],
 *           "series": [{"name": str, "values": [...]}], "unit": str, "highlight": [labels...],
 *           optional: "groups": [...] (treemap, parallel to labels), "names": [...] (display names parallel
 *           to labels, e.g. Persian country names for a map), "digits": int (tooltip decimals, default 1),
 *           "orientation": "horizontal" (bar)}
 *   Map labels are ISO 3166-1 alpha-3 codes; the world GeoJSON comes from <body data-geojson-url="...">.
 *   When a chart has rendered, the div gets data-rendered="1" (also for the "no data" message).
 * Tables: <table class="table-sortable"> sorts by clicking a header (numeric when the cells have
 *   data-value="..."); <input data-filter-table="TABLEID"> filters the rows of table#TABLEID by text.
 */
(function () {
  "use strict";

  var Saderat = (window.Saderat = window.Saderat || {});
  // Scripts run: the no-script fallbacks of app.css (an open navigation, tables that scroll by themselves) end.
  if (document.body) {
    document.body.classList.remove("no-js");
  }
  var FONT = "Vazirmatn, Tahoma, sans-serif";
  var EMPTY_MESSAGE = "داده‌ای برای نمایش نیست";
  var ERROR_MESSAGE = "نمودار نمایش داده نشد";
  var MAP_ERROR_MESSAGE = "نقشهٔ جهان بارگیری نشد";
  var HIGHLIGHT_COLOR = "#fd7e14";
  // Explicit line height for multi-line labels: ECharts otherwise derives it from the width of a CJK
  // glyph, which is tiny on machines without CJK fonts and makes the lines overlap.
  var LINE_HEIGHT = 16;
  var MAP_COLORS = ["#e0ecf8", "#9ecae1", "#4292c6", "#2171b5", "#08306b"];

  // ---------------------------------------------------------------------------------------------
  // Numbers and text
  // ---------------------------------------------------------------------------------------------

  // The page's language decides digits and direction: Persian pages are RTL with Persian digits, the
  // English pages LTR with Latin digits.
  var RTL = document.documentElement.getAttribute("dir") !== "ltr";
  var LOCALE = (document.documentElement.getAttribute("lang") || "fa").indexOf("fa") === 0 ? "fa-IR" : "en-US";
  var formatters = {};
  // The few words app.js writes into pages, in the page's language.
  var TEXT =
    LOCALE === "fa-IR"
      ? { filter: "جست‌وجو در جدول", sort: "مرتب‌سازی", of: " از " }
      : { filter: "Filter the table", sort: "Sort", of: " of " };

  function formatter(digits) {
    if (!formatters[digits]) {
      formatters[digits] = new Intl.NumberFormat(LOCALE, {
        maximumFractionDigits: digits,
        minimumFractionDigits: 0,
      });
    }
    return formatters[digits];
  }

  /** Format a number with Persian digits and the Persian thousands separator ("۱٬۲۳۴٫۵"). */
  Saderat.fa = function (n, digits) {
    if (n === null || n === undefined || n === "") {
      return "";
    }
    var x = typeof n === "number" ? n : Number(Saderat.latinDigits(String(n)).replace(/[,\u066C]/g, "").replace(/\u066B/g, "."));
    if (!isFinite(x)) {
      return "—";
    }
    var d = digits === undefined || digits === null ? 1 : Math.max(0, Math.min(20, Math.floor(Number(digits)) || 0));
    return formatter(d).format(x);
  };

  /** Latin digits in a string -> Persian digits (for labels such as years "1402"). */
  Saderat.faDigits = function (s) {
    if (s === null || s === undefined) {
      return "";
    }
    if (LOCALE !== "fa-IR") {
      return String(s);
    }
    return String(s).replace(/[0-9]/g, function (c) {
      return String.fromCharCode(0x06f0 + c.charCodeAt(0) - 48);
    });
  };

  /** Persian (U+06F0..) and Arabic-Indic (U+0660..) digits -> Latin digits. */
  Saderat.latinDigits = function (s) {
    return String(s).replace(/[\u06F0-\u06F9\u0660-\u0669]/g, function (c) {
      var code = c.charCodeAt(0);
      return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
    });
  };

  /** Normalise text for searching: digits, Arabic yeh/kaf, ZWNJ, case and spaces. */
  function normalizeText(s) {
    return Saderat.latinDigits(s)
      .replace(/[\u064A\u0649]/g, "\u06CC")
      .replace(/\u0643/g, "\u06A9")
      .replace(/[\u200C\u200F\u200E\u00A0\u2066-\u2069\u061C]/g, " ")
      .replace(/[,\u066C]/g, "")
      .replace(/\u066B/g, ".")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }
  Saderat.normalizeText = normalizeText;

  /** Parse a number written with Latin or Persian digits and separators ("۱٬۲۳۴٫۵", "-۳٫۲٪", "1,234.5");
   *  NaN if it is not one. */
  function parseNumber(s) {
    var t = normalizeText(s)
      .replace(/[\s\u2066-\u2069\u202A-\u202E\u061C]/g, "")
      .replace(/[\u2212\u2012\u2013]/g, "-")
      .replace(/[%\u066A]$/, "")
      .replace(/^[%\u066A]/, "");
    if (t === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) {
      return NaN;
    }
    return Number(t);
  }
  Saderat.parseNumber = parseNumber;

  function escapeHtml(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function truncate(s, n) {
    s = String(s);
    return s.length > n ? s.slice(0, n - 1) + "…" : s;
  }

  function toValue(v) {
    if (v === null || v === undefined || v === "") {
      return null;
    }
    var x = Number(v);
    return isFinite(x) ? x : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Charts
  // ---------------------------------------------------------------------------------------------

  var live = []; // [{el, chart}] of initialised ECharts instances
  var worldMapPromise = null;
  var worldNames = {}; // ISO3 -> English name from the GeoJSON

  function hasData(spec) {
    if (spec && spec.kind === "product-space") {
      return (Array.isArray(spec.nodes) && spec.nodes.length > 0) || Boolean(spec.layout);
    }
    if (!spec || !Array.isArray(spec.labels) || spec.labels.length === 0 || !Array.isArray(spec.series)) {
      return false;
    }
    return spec.series.some(function (s) {
      return (
        s &&
        Array.isArray(s.values) &&
        s.values.some(function (v) {
          return toValue(v) !== null;
        })
      );
    });
  }

  function markRendered(el) {
    el.setAttribute("data-rendered", "1");
    el.dispatchEvent(new CustomEvent("saderat:chart-rendered", { bubbles: true }));
  }

  function disposeChart(el) {
    if (typeof echarts !== "undefined") {
      var inst = echarts.getInstanceByDom(el);
      if (inst) {
        inst.dispose();
      }
    }
    live = live.filter(function (x) {
      return x.el !== el;
    });
  }

  function showMessage(el, text, isError) {
    disposeChart(el);
    el.innerHTML = "";
    var box = document.createElement("div");
    box.className = "chart-message" + (isError ? " chart-error" : "");
    box.setAttribute("role", "status");
    box.textContent = text;
    el.appendChild(box);
    el.setAttribute(isError ? "data-error" : "data-empty", "1");
    markRendered(el);
  }

  function unitSuffix(spec) {
    return spec.unit ? " " + spec.unit : "";
  }

  // Whoever asks their system for less motion gets charts drawn at once, without animation (WCAG 2.3.3).
  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function baseOption(spec) {
    var option = {
      textStyle: { fontFamily: FONT },
      animation: !reducedMotion(),
      animationDuration: 400,
      tooltip: {
        confine: true,
        textStyle: { fontFamily: FONT },
        extraCssText: RTL ? "direction: rtl; text-align: right;" : "direction: ltr; text-align: left;",
      },
    };
    if (spec.title) {
      option.title = {
        text: Saderat.faDigits(spec.title),
        right: 8,
        top: 4,
        textStyle: { fontFamily: FONT, fontSize: 14, fontWeight: 600 },
      };
    }
    return option;
  }

  function legendOption(spec, names, vertical) {
    // ECharts lays legend items out left to right: reverse them so that an RTL reader meets the first
    // series first (on the right), and put each symbol on the right of its text.
    return {
      type: "scroll",
      orient: vertical ? "vertical" : "horizontal",
      right: 8,
      top: spec.title ? 30 : 4,
      align: "right",
      textStyle: { fontFamily: FONT },
      data: vertical ? names.slice() : names.slice().reverse(),
    };
  }

  function highlightSet(spec) {
    var set = {};
    (spec.highlight || []).forEach(function (h) {
      set[String(h)] = true;
    });
    return set;
  }

  function displayLabel(spec, i) {
    var names = Array.isArray(spec.names) ? spec.names : null;
    var label = names && names[i] !== undefined && names[i] !== null ? names[i] : spec.labels[i];
    return Saderat.faDigits(label);
  }

  function tooltipRow(marker, name, value, spec, digits) {
    var v = value === null || value === undefined || value === "-" ? "—" : Saderat.fa(value, digits);
    return (
      (marker || "") +
      escapeHtml(name) +
      ': <b><span dir="ltr" style="unicode-bidi:isolate">' +
      escapeHtml(v) +
      "</span></b>" +
      escapeHtml(unitSuffix(spec))
    );
  }

  function digitsOf(spec) {
    return spec.digits === undefined || spec.digits === null ? 1 : spec.digits;
  }

  function cartesianOption(spec) {
    var kind = spec.kind === "line" ? "line" : "bar";
    var digits = digitsOf(spec);
    var hl = highlightSet(spec);
    var labels = spec.labels.map(function (l, i) {
      return displayLabel(spec, i);
    });
    var longest = labels.reduce(function (m, l) {
      return Math.max(m, String(l).length);
    }, 0);
    var horizontal =
      kind === "bar" && (spec.orientation === "horizontal" || (spec.orientation !== "vertical" && longest > 18));
    var single = spec.series.length === 1;
    var series = spec.series.map(function (s) {
      var data = (s.values || []).map(function (v, i) {
        var x = toValue(v);
        var item = { value: x === null ? "-" : x };
        if (hl[String(spec.labels[i])]) {
          // One series: the highlighted bar/point changes colour. Several: keep the series colours
          // (the legend must stay readable) and outline the highlighted category instead.
          item.itemStyle = single
            ? { color: HIGHLIGHT_COLOR, borderColor: "#842029", borderWidth: 1 }
            : { borderColor: HIGHLIGHT_COLOR, borderWidth: kind === "line" ? 3 : 2 };
          if (kind === "line") {
            item.symbolSize = 10;
          }
        }
        return item;
      });
      var out = { type: kind, name: Saderat.faDigits(s.name || ""), data: data, emphasis: { focus: "series" } };
      if (kind === "line") {
        out.symbol = "circle";
        out.symbolSize = 6;
        out.connectNulls = false;
      } else {
        out.barMaxWidth = 40;
      }
      return out;
    });
    var many = labels.length > 6;
    var categoryAxis = {
      type: "category",
      data: labels,
      inverse: RTL, // RTL: the first category sits next to the value axis on the right
      axisTick: { alignWithLabel: true },
      axisLabel: {
        fontFamily: FONT,
        lineHeight: LINE_HEIGHT,
        interval: horizontal || labels.length <= 24 ? 0 : "auto",
        rotate: !horizontal && many ? 35 : 0,
        formatter: function (v) {
          return truncate(v, horizontal ? 28 : 14);
        },
      },
    };
    var valueAxis = {
      type: "value",
      position: horizontal ? "top" : RTL ? "right" : "left",
      name: spec.unit ? Saderat.faDigits(spec.unit) : "",
      nameTextStyle: { fontFamily: FONT },
      axisLabel: {
        fontFamily: FONT,
        formatter: function (v) {
          return Saderat.fa(v, 2);
        },
      },
      splitLine: { lineStyle: { type: "dashed" } },
    };
    var names = series.map(function (s) {
      return s.name;
    });
    var showLegend = series.length > 1;
    var top = (spec.title ? 34 : 10) + (showLegend ? 28 : 0) + (valueAxis.name ? 18 : 0);
    var option = baseOption(spec);
    option.grid = { top: top, bottom: 12, left: 16, right: 16, containLabel: true };
    if (horizontal) {
      categoryAxis.position = RTL ? "right" : "left";
      valueAxis.inverse = RTL; // in RTL, bars grow from right to left
      valueAxis.nameLocation = "middle"; // "end" would be off the left edge
      valueAxis.nameGap = 24;
      option.grid.top += 10;
      option.xAxis = valueAxis;
      option.yAxis = categoryAxis;
    } else {
      option.xAxis = categoryAxis;
      option.yAxis = valueAxis;
    }
    if (showLegend) {
      option.legend = legendOption(spec, names);
    }
    option.tooltip.trigger = "axis";
    option.tooltip.axisPointer = { type: kind === "bar" ? "shadow" : "line" };
    option.tooltip.formatter = function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) {
        return "";
      }
      var head = "<div><b>" + escapeHtml(list[0].name) + "</b></div>";
      return (
        head +
        list
          .map(function (p) {
            return "<div>" + tooltipRow(p.marker, p.seriesName, p.value, spec, digits) + "</div>";
          })
          .join("")
      );
    };
    option.series = series;
    return option;
  }

  function pieOption(spec) {
    var digits = digitsOf(spec);
    var hl = highlightSet(spec);
    var values = spec.series[0].values || [];
    var data = [];
    spec.labels.forEach(function (l, i) {
      var x = toValue(values[i]);
      if (x === null) {
        return;
      }
      var item = { name: displayLabel(spec, i), value: x };
      if (hl[String(l)]) {
        item.selected = true;
        item.itemStyle = { borderColor: HIGHLIGHT_COLOR, borderWidth: 3 };
      }
      data.push(item);
    });
    var option = baseOption(spec);
    option.legend = legendOption(
      spec,
      data.map(function (d) {
        return d.name;
      }),
      true
    );
    option.legend.top = spec.title ? 36 : 8;
    option.legend.bottom = 8;
    option.legend.formatter = function (name) {
      return truncate(name, 22);
    };
    option.tooltip.trigger = "item";
    option.tooltip.formatter = function (p) {
      return (
        tooltipRow(p.marker, p.name, p.value, spec, digits) +
        ' <span dir="ltr" style="unicode-bidi:isolate">(' +
        escapeHtml(Saderat.fa(p.percent, 1)) +
        "٪)</span>"
      );
    };
    option.series = [
      {
        type: "pie",
        name: Saderat.faDigits(spec.series[0].name || ""),
        radius: ["35%", "65%"],
        center: ["38%", "55%"],
        selectedMode: false,
        selectedOffset: 8,
        avoidLabelOverlap: true,
        label: {
          fontFamily: FONT,
          lineHeight: LINE_HEIGHT,
          formatter: function (p) {
            return truncate(p.name, 16) + "\n" + Saderat.fa(p.percent, 1) + "٪";
          },
        },
        data: data,
      },
    ];
    return option;
  }

  function treemapOption(spec) {
    var digits = digitsOf(spec);
    var hl = highlightSet(spec);
    var values = spec.series[0].values || [];
    var groups = Array.isArray(spec.groups) && spec.groups.length === spec.labels.length ? spec.groups : null;
    var leaves = [];
    spec.labels.forEach(function (l, i) {
      var x = toValue(values[i]);
      if (x === null || x <= 0) {
        return;
      }
      var item = { name: displayLabel(spec, i), value: x };
      if (hl[String(l)]) {
        item.itemStyle = { borderColor: HIGHLIGHT_COLOR, borderWidth: 4 };
      }
      leaves.push({ item: item, group: groups ? groups[i] : null });
    });
    var data;
    if (groups) {
      var byGroup = {};
      var order = [];
      leaves.forEach(function (leaf) {
        var g = leaf.group === null || leaf.group === undefined || leaf.group === "" ? "—" : String(leaf.group);
        if (!byGroup[g]) {
          byGroup[g] = { name: Saderat.faDigits(g), children: [] };
          order.push(g);
        }
        byGroup[g].children.push(leaf.item);
      });
      data = order.map(function (g) {
        var node = byGroup[g];
        if (hl[g]) {
          node.itemStyle = { borderColor: HIGHLIGHT_COLOR, borderWidth: 4 };
        }
        return node;
      });
    } else {
      data = leaves.map(function (leaf) {
        return leaf.item;
      });
    }
    var option = baseOption(spec);
    option.tooltip.trigger = "item";
    option.tooltip.formatter = function (p) {
      var path = (p.treePathInfo || [])
        .slice(1)
        .map(function (n) {
          return n.name;
        })
        .join(" ‹ ");
      return tooltipRow("", path || p.name, p.value, spec, digits);
    };
    option.series = [
      {
        type: "treemap",
        name: Saderat.faDigits(spec.series[0].name || spec.title || ""),
        top: spec.title ? 34 : 8,
        left: 4,
        right: 4,
        bottom: groups ? 28 : 4,
        roam: false,
        nodeClick: groups ? "zoomToNode" : false,
        breadcrumb: { show: !!groups, left: "right", bottom: 2, itemStyle: { textStyle: { fontFamily: FONT } } },
        label: {
          show: true,
          fontFamily: FONT,
          lineHeight: LINE_HEIGHT,
          overflow: "truncate",
          formatter: function (p) {
            return p.name + "\n" + Saderat.fa(p.value, digits);
          },
        },
        upperLabel: {
          show: !!groups,
          height: 22,
          fontFamily: FONT,
          lineHeight: LINE_HEIGHT,
          color: "#212529",
          position: "insideRight",
          overflow: "truncate",
          formatter: function (p) {
            return p.name + " (" + Saderat.fa(p.value, digits) + ")";
          },
        },
        levels: groups
          ? [
              { itemStyle: { borderColor: "#fff", borderWidth: 2, gapWidth: 2 } },
              { itemStyle: { borderColor: "#ddd", borderWidth: 1, gapWidth: 1 }, colorSaturation: [0.35, 0.6] },
            ]
          : [{ itemStyle: { borderColor: "#fff", borderWidth: 1, gapWidth: 1 } }],
        data: data,
      },
    ];
    return option;
  }

  function quantileBreaks(values, classes) {
    var sorted = values
      .filter(function (v) {
        return v > 0;
      })
      .sort(function (a, b) {
        return a - b;
      });
    var breaks = [];
    for (var k = 1; k < classes; k++) {
      var b = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / classes))];
      if (b !== undefined && breaks.indexOf(b) < 0 && b < sorted[sorted.length - 1]) {
        breaks.push(b);
      }
    }
    return breaks;
  }

  function mapOption(spec) {
    var digits = digitsOf(spec);
    var hl = highlightSet(spec);
    var values = spec.series[0].values || [];
    var data = [];
    var nums = [];
    var displayNames = {};
    spec.labels.forEach(function (code, i) {
      var x = toValue(values[i]);
      var name = String(code).toUpperCase();
      displayNames[name] = Array.isArray(spec.names) && spec.names[i] ? spec.names[i] : worldNames[name] || name;
      if (x === null) {
        return;
      }
      nums.push(x);
      var item = { name: name, value: x };
      if (hl[String(code)]) {
        item.itemStyle = { borderColor: HIGHLIGHT_COLOR, borderWidth: 2 };
      }
      data.push(item);
    });
    // Regions without data but highlighted (e.g. the home country) still get an outline.
    Object.keys(hl).forEach(function (code) {
      var name = code.toUpperCase();
      var present = data.some(function (d) {
        return d.name === name;
      });
      if (!present) {
        data.push({ name: name, value: "-", itemStyle: { borderColor: HIGHLIGHT_COLOR, borderWidth: 2 } });
      }
    });
    var max = Math.max.apply(null, nums.concat([0]));
    var min = Math.min.apply(null, nums.concat([max]));
    var breaks = quantileBreaks(nums, MAP_COLORS.length);
    var visualMap;
    if (breaks.length >= 2) {
      // Export values are very skewed (one neighbour often takes half): quantile classes keep the map legible.
      var edges = [min].concat(breaks).concat([max]);
      var pieces = [];
      for (var i = 0; i < edges.length - 1; i++) {
        var lo = edges[i];
        var hi = edges[i + 1];
        pieces.push({
          min: lo,
          max: hi,
          label: Saderat.fa(lo, digits) + " – " + Saderat.fa(hi, digits),
          color: MAP_COLORS[Math.min(MAP_COLORS.length - 1, Math.round((i * (MAP_COLORS.length - 1)) / Math.max(1, edges.length - 2)))],
        });
      }
      visualMap = { type: "piecewise", pieces: pieces.reverse() };
    } else {
      visualMap = {
        type: "continuous",
        min: Math.min(0, min),
        max: max > 0 ? max : 1,
        calculable: true,
        text: ["بیشتر", "کمتر"],
        inRange: { color: [MAP_COLORS[0], MAP_COLORS[MAP_COLORS.length - 1]] },
        formatter: function (v) {
          return Saderat.fa(v, digits);
        },
      };
    }
    visualMap.right = 8;
    visualMap.bottom = 8;
    visualMap.textStyle = { fontFamily: FONT };
    var option = baseOption(spec);
    option.visualMap = visualMap;
    option.tooltip.trigger = "item";
    option.tooltip.formatter = function (p) {
      var label = displayNames[p.name] || worldNames[p.name] || p.name;
      var v = typeof p.value === "number" && isFinite(p.value) ? p.value : null;
      return tooltipRow("", Saderat.faDigits(label), v, spec, digits);
    };
    option.series = [
      {
        type: "map",
        map: "world",
        name: Saderat.faDigits(spec.series[0].name || ""),
        roam: true,
        scaleLimit: { min: 1, max: 12 },
        top: spec.title ? 36 : 8,
        bottom: 8,
        left: 8,
        right: 8,
        label: { show: false },
        itemStyle: { areaColor: "#f1f3f5", borderColor: "#adb5bd", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffc107" } },
        select: { disabled: true },
        data: data,
      },
    ];
    return option;
  }

  // The product space's layout (positions, colours, labels, edges) is the same on every page that draws it:
  // the page names it by a versioned address and carries only its own codes (see opportunities.views).
  var spaceLayouts = {}; // address -> Promise of {nodes, edges}

  function loadSpaceLayout(url) {
    if (!spaceLayouts[url]) {
      spaceLayouts[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) {
            throw new Error("HTTP " + r.status + " for " + url);
          }
          return r.json();
        })
        .catch(function (err) {
          delete spaceLayouts[url]; // allow a retry on the next render
          throw err;
        });
    }
    return spaceLayouts[url];
  }

  function withLayout(spec, layout) {
    var exported = {};
    var chosen = {};
    (spec.exported || []).forEach(function (code) {
      exported[code] = true;
    });
    (spec.opportunity || []).forEach(function (code) {
      chosen[code] = true;
    });
    return {
      kind: "product-space",
      edges: layout.edges,
      nodes: layout.nodes.map(function (n) {
        return {
          id: n.id,
          x: n.x,
          y: n.y,
          color: n.color,
          label: n.label,
          state: exported[n.id] ? "exported" : chosen[n.id] ? "opportunity" : "other",
        };
      }),
    };
  }

  function loadWorldMap() {
    if (worldMapPromise) {
      return worldMapPromise;
    }
    var url = document.body && document.body.dataset ? document.body.dataset.geojsonUrl : "";
    if (!url) {
      return Promise.reject(new Error("body has no data-geojson-url"));
    }
    worldMapPromise = fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) {
          throw new Error("HTTP " + r.status + " for " + url);
        }
        return r.json();
      })
      .then(function (geo) {
        geo.features = (geo.features || []).filter(function (f) {
          var name = f && f.properties ? f.properties.name : "";
          if (name && f.properties.name_en) {
            worldNames[name] = f.properties.name_en;
          }
          return name !== "ATA"; // Antarctica takes a fifth of the map and has no trade
        });
        echarts.registerMap("world", geo);
        return true;
      })
      .catch(function (err) {
        worldMapPromise = null; // allow a retry on the next render (e.g. after an htmx swap)
        throw err;
      });
    return worldMapPromise;
  }

  // The Atlas product space: nodes at their published layout positions, the backbone edges, the region's
  // products (RCA >= 1) in their sector colour, the top opportunities ringed in red, the rest grey.
  var SPACE_STYLE = {
    exported: { size: 9, opacity: 1 },
    opportunity: { size: 11, opacity: 1 },
    other: { size: 5, opacity: 0.35 },
  };

  function productSpaceOption(spec) {
    var index = {};
    var data = spec.nodes.map(function (n, i) {
      index[n.id] = i;
      var style = SPACE_STYLE[n.state] || SPACE_STYLE.other;
      return {
        name: n.id,
        x: n.x,
        y: -n.y,
        value: n.label,
        state: n.state,
        symbolSize: style.size,
        itemStyle: {
          color: n.state === "other" ? "#c8c8c8" : n.color,
          opacity: style.opacity,
          borderColor: n.state === "opportunity" ? HIGHLIGHT_COLOR : "transparent",
          borderWidth: n.state === "opportunity" ? 3 : 0,
        },
      };
    });
    var links = (spec.edges || [])
      .filter(function (e) {
        return index[e[0]] !== undefined && index[e[1]] !== undefined;
      })
      .map(function (e) {
        return { source: e[0], target: e[1] };
      });
    var option = baseOption(spec);
    option.tooltip.formatter = function (p) {
      if (p.dataType !== "node") {
        return "";
      }
      return escapeHtml(Saderat.faDigits(p.data.name)) + " — " + escapeHtml(p.data.value);
    };
    option.series = [
      {
        type: "graph",
        layout: "none",
        roam: true,
        data: data,
        links: links,
        lineStyle: { color: "#d9d9d9", width: 0.6, opacity: 0.8 },
        emphasis: { focus: "adjacency" },
        label: { show: false },
      },
    ];
    return option;
  }

  function buildOption(spec) {
    switch (spec.kind) {
      case "bar":
      case "line":
        return cartesianOption(spec);
      case "pie":
        return pieOption(spec);
      case "treemap":
        return treemapOption(spec);
      case "map":
        return mapOption(spec);
      case "product-space":
        return productSpaceOption(spec);
      default:
        throw new Error("unknown chart kind: " + spec.kind);
    }
  }

  function draw(el, spec, specText) {
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.innerHTML = "";
      chart = echarts.init(el, null, { renderer: "canvas" });
      live.push({ el: el, chart: chart });
    }
    el._saderatSpec = specText;
    var done = false;
    var finish = function () {
      if (!done) {
        done = true;
        chart.off("finished", finish);
        markRendered(el);
      }
    };
    chart.on("finished", finish);
    chart.setOption(buildOption(spec), true);
    // 'finished' fires after the (short) animation; a chart in a hidden container may never paint.
    window.setTimeout(finish, 2000);
  }

  function renderChart(el) {
    var id = el.getAttribute("data-chart-src");
    var source = id ? document.getElementById(id) : null;
    var specText = source ? source.textContent : "";
    if (el.getAttribute("data-rendered") === "1" && el._saderatSpec === specText) {
      return; // already drawn from this spec
    }
    el.removeAttribute("data-rendered");
    el.removeAttribute("data-empty");
    el.removeAttribute("data-error");
    var spec = null;
    try {
      spec = specText ? JSON.parse(specText) : null;
    } catch (e) {
      spec = null;
    }
    el._saderatSpec = specText;
    if (!hasData(spec)) {
      showMessage(el, EMPTY_MESSAGE, false);
      return;
    }
    if (typeof echarts === "undefined") {
      showMessage(el, ERROR_MESSAGE, true);
      return;
    }
    if (spec.kind === "product-space" && spec.layout) {
      loadSpaceLayout(spec.layout).then(
        function (layout) {
          // Another spec may have been rendered into the element while the layout was on its way.
          if (document.body.contains(el) && el._saderatSpec === specText) {
            safeDraw(el, spec, specText, layout);
          }
        },
        function (err) {
          if (window.console) {
            console.warn("Saderat: product space layout unavailable:", err && err.message);
          }
          showMessage(el, ERROR_MESSAGE, true);
        }
      );
      return;
    }
    if (spec.kind === "map") {
      loadWorldMap().then(
        function () {
          if (document.body.contains(el)) {
            safeDraw(el, spec, specText);
          }
        },
        function (err) {
          if (window.console) {
            console.warn("Saderat: world map unavailable:", err && err.message);
          }
          showMessage(el, MAP_ERROR_MESSAGE, true);
        }
      );
      return;
    }
    safeDraw(el, spec, specText);
  }

  function safeDraw(el, spec, specText, layout) {
    try {
      draw(el, layout ? withLayout(spec, layout) : spec, specText);
    } catch (err) {
      if (window.console) {
        console.warn("Saderat: chart " + el.getAttribute("data-chart-src") + " failed:", err && err.message);
      }
      showMessage(el, ERROR_MESSAGE, true);
    }
  }

  function pruneCharts() {
    live = live.filter(function (x) {
      if (document.body.contains(x.el)) {
        return true;
      }
      x.chart.dispose();
      return false;
    });
  }

  Saderat.renderCharts = function (root) {
    pruneCharts();
    var scope = root && root.querySelectorAll ? root : document;
    var els = Array.prototype.slice.call(scope.querySelectorAll("div.chart[data-chart-src]"));
    if (scope.matches && scope.matches("div.chart[data-chart-src]")) {
      els.unshift(scope);
    }
    els.forEach(renderChart);
  };

  Saderat.resizeCharts = function () {
    live.forEach(function (x) {
      if (x.el.offsetWidth > 0 && x.el.offsetHeight > 0) {
        x.chart.resize();
      }
    });
  };

  var resizePending = false;
  function scheduleResize() {
    if (resizePending) {
      return;
    }
    resizePending = true;
    window.requestAnimationFrame(function () {
      resizePending = false;
      Saderat.resizeCharts();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Tables
  // ---------------------------------------------------------------------------------------------

  var EMPTY_CELL = /^[\u2014\u2013\-\u2026.\s]*$/;
  var collator = typeof Intl !== "undefined" && Intl.Collator ? new Intl.Collator("fa", { numeric: true, sensitivity: "base" }) : null;

  function headerRow(table) {
    var thead = table.tHead;
    if (!thead || !thead.rows.length) {
      return null;
    }
    return thead.rows[thead.rows.length - 1];
  }

  function columnIndex(th) {
    // Index of the column, counting colspans of the cells before it in the row.
    var index = 0;
    var cell = th.parentNode.firstElementChild;
    while (cell && cell !== th) {
      index += cell.colSpan || 1;
      cell = cell.nextElementSibling;
    }
    return index;
  }

  function cellAt(row, col) {
    var index = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var cell = row.cells[i];
      if (index === col) {
        return cell;
      }
      index += cell.colSpan || 1;
      if (index > col) {
        return null;
      }
    }
    return null;
  }

  function sortKey(cell) {
    if (!cell) {
      return { num: NaN, text: "" };
    }
    var raw = cell.getAttribute("data-value");
    if (raw !== null) {
      var n = raw === "" ? NaN : Number(raw);
      return { num: n, text: raw, hasValue: true };
    }
    var text = (cell.getAttribute("data-sort-text") || cell.textContent || "").trim();
    if (EMPTY_CELL.test(text)) {
      return { num: NaN, text: "" }; // "—": no value, sorted last
    }
    return { num: parseNumber(text), text: normalizeText(text) };
  }

  function sortTable(table, th, direction) {
    var col = columnIndex(th);
    var bodies = Array.prototype.slice.call(table.tBodies);
    bodies.forEach(function (tbody) {
      var rows = Array.prototype.slice.call(tbody.rows);
      var keyed = rows.map(function (row, i) {
        return { row: row, key: sortKey(cellAt(row, col)), i: i };
      });
      var nonEmpty = keyed.filter(function (k) {
        return k.key.text !== "";
      });
      // Numeric if the cells carry data-value, or if every non-empty cell reads as a number.
      var numeric =
        nonEmpty.length > 0 &&
        (nonEmpty.some(function (k) {
          return k.key.hasValue;
        }) ||
          nonEmpty.every(function (k) {
            return !isNaN(k.key.num);
          }));
      var sign = direction === "descending" ? -1 : 1;
      keyed.sort(function (a, b) {
        var c;
        if (numeric) {
          var an = isNaN(a.key.num);
          var bn = isNaN(b.key.num);
          if (an || bn) {
            c = an && bn ? 0 : an ? 1 : -1; // empty cells last in both directions
            return c !== 0 ? c : a.i - b.i;
          }
          c = (a.key.num - b.key.num) * sign;
        } else {
          if (a.key.text === "" || b.key.text === "") {
            c = a.key.text === b.key.text ? 0 : a.key.text === "" ? 1 : -1;
            return c !== 0 ? c : a.i - b.i;
          }
          c = (collator ? collator.compare(a.key.text, b.key.text) : a.key.text < b.key.text ? -1 : a.key.text > b.key.text ? 1 : 0) * sign;
        }
        return c !== 0 ? c : a.i - b.i; // stable
      });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) {
        frag.appendChild(k.row);
      });
      tbody.appendChild(frag);
    });
    var row = th.parentNode;
    Array.prototype.forEach.call(row.cells, function (cell) {
      if (cell.classList.contains("sortable")) {
        cell.setAttribute("aria-sort", cell === th ? direction : "none");
      }
    });
    table.dispatchEvent(new CustomEvent("saderat:table-sorted", { bubbles: true, detail: { column: col, direction: direction } }));
  }

  function onHeaderActivate(th) {
    var table = th.closest("table");
    var current = th.getAttribute("aria-sort");
    var direction;
    if (current === "ascending") {
      direction = "descending";
    } else if (current === "descending") {
      direction = "ascending";
    } else {
      direction = th.getAttribute("data-sort-default") === "desc" ? "descending" : "ascending";
    }
    sortTable(table, th, direction);
  }

  function tablesIn(scope, selector) {
    var tables = Array.prototype.slice.call(scope.querySelectorAll(selector));
    if (scope.matches && scope.matches(selector)) {
      tables.unshift(scope);
    }
    return tables;
  }

  /** A data table (in <main>): not a layout table and not one that opted out with data-sort="false". */
  function isDataTable(table) {
    return (
      !!table.closest("main") &&
      table.getAttribute("data-sort") !== "false" &&
      !table.classList.contains("no-sort") &&
      !table.closest(".modal")
    );
  }

  /** Whether the last header row names every column once (no rowspans/colspans that would shift the
   *  columns) and no body cell spans rows: sorting rows keeps such a table meaningful. */
  function sortableShape(table) {
    var row = headerRow(table);
    if (!row || !table.tBodies.length) {
      return false;
    }
    var thead = table.tHead;
    for (var r = 0; r < thead.rows.length - 1; r++) {
      for (var c = 0; c < thead.rows[r].cells.length; c++) {
        if ((thead.rows[r].cells[c].rowSpan || 1) > 1) {
          return false;
        }
      }
    }
    var width = 0;
    for (var i = 0; i < row.cells.length; i++) {
      width += row.cells[i].colSpan || 1;
    }
    var ok = true;
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      Array.prototype.forEach.call(tbody.rows, function (tr) {
        var w = 0;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          w += cell.colSpan || 1;
          if ((cell.rowSpan || 1) > 1) {
            ok = false;
          }
        });
        if (w > width) {
          ok = false;
        }
      });
    });
    return ok;
  }

  function hasFormRows(table) {
    return Array.prototype.some.call(table.tBodies, function (tbody) {
      return !!tbody.querySelector("input:not([type=checkbox]):not([type=hidden]), select, textarea");
    });
  }

  function bodyRowCount(table) {
    return Array.prototype.reduce.call(
      table.tBodies,
      function (n, tbody) {
        return n + tbody.rows.length;
      },
      0
    );
  }

  var autoId = 0;

  /** Every data table in <main> sorts by its headers (numbers as numbers, in either script). */
  function makeSortable(scope) {
    tablesIn(scope, "main table").forEach(function (table) {
      if (table.classList.contains("table-sortable") || !isDataTable(table) || hasFormRows(table)) {
        return;
      }
      if (sortableShape(table)) {
        table.classList.add("table-sortable");
      }
    });
  }

  /** Every table in <main> sits in its own horizontal scroll box, so that a wide table scrolls instead of
   *  pushing the page sideways or spilling over its neighbours. */
  function wrapTables(scope) {
    tablesIn(scope, "main table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || table.closest(".table-responsive, .table-scroll, [data-table-box]")) {
        return;
      }
      var box = document.createElement("div");
      box.className = "table-responsive";
      box.setAttribute("data-table-box", "1");
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  /** A filter box above every data table of more than FILTER_MIN_ROWS rows that has none yet. */
  var FILTER_MIN_ROWS = 10;
  function addFilterBoxes(scope) {
    tablesIn(scope, "main table").forEach(function (table) {
      if (!isDataTable(table) || hasFormRows(table) || bodyRowCount(table) <= FILTER_MIN_ROWS) {
        return;
      }
      if (table.parentElement && table.parentElement.closest("table")) {
        return; // a table inside a table cell
      }
      if (!table.id) {
        autoId += 1;
        table.id = "saderat-table-" + autoId;
      }
      if (document.querySelector('[data-filter-table="' + table.id + '"]')) {
        return;
      }
      var bar = document.createElement("div");
      bar.className = "d-flex gap-2 align-items-center my-2 table-filter";
      var input = document.createElement("input");
      input.type = "search";
      input.className = "form-control form-control-sm w-auto";
      input.placeholder = TEXT.filter;
      input.setAttribute("aria-label", TEXT.filter);
      input.setAttribute("data-filter-table", table.id);
      var count = document.createElement("span");
      count.className = "small text-muted";
      count.setAttribute("data-filter-count", table.id);
      count.setAttribute("aria-live", "polite");
      bar.appendChild(input);
      bar.appendChild(count);
      var anchor = table.closest("[data-table-box], .table-responsive, .table-scroll") || table;
      anchor.parentNode.insertBefore(bar, anchor);
    });
  }

  /** Filter inputs written in templates without a label get the same accessible name. */
  function labelFilterInputs(scope) {
    scope.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      if (!input.hasAttribute("aria-label") && !input.hasAttribute("aria-labelledby") && !(input.labels && input.labels.length)) {
        input.setAttribute("aria-label", input.getAttribute("placeholder") || TEXT.filter);
      }
    });
  }

  function initTables(scope) {
    makeSortable(scope);
    wrapTables(scope);
    addFilterBoxes(scope);
    labelFilterInputs(scope);
    tablesIn(scope, "table.table-sortable").forEach(function (table) {
      var row = headerRow(table);
      if (!row) {
        return;
      }
      Array.prototype.forEach.call(row.cells, function (th) {
        if (th.classList.contains("sortable") || th.classList.contains("no-sort") || th.getAttribute("data-sort") === "false") {
          return;
        }
        th.classList.add("sortable");
        th.setAttribute("tabindex", "0");
        th.setAttribute("role", "columnheader");
        if (!th.hasAttribute("aria-sort")) {
          th.setAttribute("aria-sort", "none");
        }
        if (!th.hasAttribute("title")) {
          th.setAttribute("title", TEXT.sort);
        }
      });
    });
  }

  function filterTable(input) {
    var id = input.getAttribute("data-filter-table");
    var table = id ? document.getElementById(id) : null;
    if (!table) {
      return;
    }
    var terms = normalizeText(input.value).split(" ").filter(Boolean);
    var shown = 0;
    var total = 0;
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      Array.prototype.forEach.call(tbody.rows, function (row) {
        total += 1;
        var text = row._saderatText;
        if (text === undefined || row._saderatTextSrc !== row.textContent) {
          row._saderatTextSrc = row.textContent;
          text = row._saderatText = normalizeText(row.textContent);
        }
        var match = terms.every(function (t) {
          return text.indexOf(t) >= 0;
        });
        row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
    });
    document.querySelectorAll('[data-filter-count="' + id + '"]').forEach(function (el) {
      el.textContent = terms.length ? Saderat.fa(shown, 0) + TEXT.of + Saderat.fa(total, 0) : Saderat.fa(total, 0);
    });
  }

  function initFilters(scope) {
    scope.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      if (input.value) {
        filterTable(input); // keep the filter after an htmx swap replaced the rows
      }
    });
  }

  // Event delegation: works for tables and inputs added later without re-binding.
  document.addEventListener("click", function (e) {
    var th = e.target && e.target.closest ? e.target.closest("table.table-sortable th.sortable") : null;
    if (th) {
      onHeaderActivate(th);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" && e.key !== " ") {
      return;
    }
    var th = e.target && e.target.closest ? e.target.closest("table.table-sortable th.sortable") : null;
    if (th) {
      e.preventDefault();
      onHeaderActivate(th);
    }
  });
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("input[data-filter-table]")) {
      filterTable(t);
    }
  });

  Saderat.sortTable = function (table, columnIndexOrTh, direction) {
    var row = headerRow(table);
    var th = typeof columnIndexOrTh === "number" && row ? row.cells[columnIndexOrTh] : columnIndexOrTh;
    if (th) {
      sortTable(table, th, direction === "descending" || direction === "desc" ? "descending" : "ascending");
    }
  };
  Saderat.filterTable = filterTable;

  // ---------------------------------------------------------------------------------------------
  // Start-up and htmx
  // ---------------------------------------------------------------------------------------------

  Saderat.init = function (root) {
    var scope = root && root.querySelectorAll ? root : document;
    initTables(scope);
    initFilters(scope);
    Saderat.renderCharts(document); // charts elsewhere on the page are skipped if unchanged
  };

  // Behaviour that templates ask for with data attributes: the Content-Security-Policy forbids inline handlers
  // (onchange="...", onsubmit="..."), so they are delegated here once for the whole document.
  function initDelegatedBehaviour() {
    document.addEventListener("change", function (e) {
      var el = e.target;
      if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
    });
    document.addEventListener("submit", function (e) {
      var form = e.target;
      var question = form && form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) e.preventDefault();
    });
    // <input type="checkbox" data-check-all="NAME">: checks or clears every visible box named NAME (a row
    // hidden by the table filter keeps its state).
    document.addEventListener("change", function (e) {
      var box = e.target;
      var name = box && box.getAttribute ? box.getAttribute("data-check-all") : null;
      if (!name) return;
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (other) {
        var row = other.closest("tr");
        if (!row || !row.hidden) other.checked = box.checked;
      });
    });
    document.addEventListener("click", function (e) {
      var link = e.target && e.target.closest ? e.target.closest("[data-history-back]") : null;
      if (link && window.history.length > 1) {
        e.preventDefault();
        window.history.back();
      }
    });
  }

  function start() {
    initDelegatedBehaviour();
    Saderat.init(document);
    window.addEventListener("resize", scheduleResize);
    // Charts inside Bootstrap tabs/collapses/modals have no size until shown.
    ["shown.bs.tab", "shown.bs.collapse", "shown.bs.modal", "shown.bs.offcanvas"].forEach(function (name) {
      document.addEventListener(name, scheduleResize);
    });
    document.addEventListener("htmx:afterSwap", function (e) {
      Saderat.init(e.target || document);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
