// The listening room's charts (Apache ECharts, served from static/vendor/echarts).
// Data comes from json_script elements; every name and value shown in a tooltip is
// escaped with echarts.format.encodeHTML (social text is hostile): ECharts builds its
// tooltip as HTML (the innerHTML in the vendored file), and every tooltip here has a
// formatter of ours. Labels, legends and axes are drawn on the canvas, never as HTML.
// tests/e2e/test_listening_room.py opens a tooltip over a hostile name and finds no
// markup and nothing run. A click on a point opens the mentions behind it.
"use strict";
(function () {
  const STEP = { minute: 60e3, hour: 3600e3, day: 86400e3 };
  const esc = (v) => window.echarts.format.encodeHTML(String(v == null ? "" : v));

  function drillUrl(el, params) {
    const url = new URL(el.dataset.drill, window.location.origin);
    for (const [k, v] of Object.entries(params)) {
      if (v === "" || v == null) url.searchParams.delete(k); else url.searchParams.set(k, v);
    }
    return url.pathname + "?" + url.searchParams.toString();
  }

  function bucketRange(t, interval) {
    const start = new Date(t.length === 10 ? t + "T00:00:00+08:00" : t);
    const end = new Date(start.getTime() + STEP[interval]);
    return { range: "custom", start: start.toISOString(), end: end.toISOString() };
  }

  function tooltipRows(items, fmt) {
    const list = Array.isArray(items) ? items : [items];
    if (!list.length) return "";
    let html = "<strong>" + esc(list[0].axisValueLabel || list[0].name) + "</strong>";
    for (const item of list) {
      html += "<br>" + item.marker + esc(item.seriesName) + ": " + esc(fmt ? fmt(item) : item.value[1] != null ? item.value[1] : item.value);
    }
    return html;
  }

  const builders = {
    volume(el, data) {
      const spikes = JSON.parse(document.getElementById(el.dataset.spikes).textContent || "[]");
      const series = data.series.map((s) => ({
        name: s.key || "—", type: "line", showSymbol: true, symbolSize: 6,
        data: s.points.map((p) => ({ value: [p.t, p.mentions], point: p, key: s.key })),
      }));
      if (series.length && spikes.length) {
        series[0].markPoint = {
          symbol: "pin", itemStyle: { color: "#c62828" },
          data: spikes.map((s) => ({ coord: [s.t, s.volume], value: el.dataset.labelSpike, name: s.subject, spike: s.id })),
        };
      }
      return {
        tooltip: {
          trigger: "axis",
          formatter: (items) => tooltipRows(items, (i) => {
            const p = i.data.point;
            return p.mentions + " " + el.dataset.labelMentions + (p.authors != null ? " · " + p.authors + " " + el.dataset.labelAuthors : "") + " · " + p.reach + " " + el.dataset.labelReach;
          }),
        },
        legend: { type: "scroll", top: 0 },
        xAxis: { type: "time", axisLabel: { hideOverlap: true } }, yAxis: { type: "value", minInterval: 1 },
        grid: { left: 48, right: 16, top: 40, bottom: 30 },
        series,
        onClick(params) {
          if (!params.data || !params.data.point) return null;
          const extra = bucketRange(params.data.point.t, el.dataset.interval);
          extra[el.dataset.group] = params.data.key;
          return drillUrl(el, extra);
        },
      };
    },
    sentiment(el, data) {
      const d = el.dataset;
      const line = (key, label, color) => ({
        name: label, type: "line", stack: key === "net" || key === "sarcastic" ? undefined : "share",
        areaStyle: key === "net" || key === "sarcastic" ? undefined : {}, color,
        data: data.points.map((p) => ({ value: [p.t, p[key]], point: p, key })),
      });
      return {
        tooltip: { trigger: "axis", formatter: (items) => tooltipRows(items, (i) => Math.round(i.value[1] * 100) + "%") },
        legend: { type: "scroll", top: 0 }, xAxis: { type: "time", axisLabel: { hideOverlap: true } }, yAxis: { type: "value", min: -1, max: 1 },
        grid: { left: 48, right: 16, top: 40, bottom: 30 },
        series: [
          line("positive", d.labelPositive, "#2e7d32"), line("neutral", d.labelNeutral, "#9aa5b1"),
          line("negative", d.labelNegative, "#c62828"), line("net", d.labelNet, "#0b6fb8"),
          line("sarcastic", d.labelSarcastic, "#b26a00"),
        ],
        onClick(params) {
          if (!params.data || !params.data.point) return null;
          const extra = bucketRange(params.data.point.t, el.dataset.interval);
          if (["positive", "neutral", "negative"].includes(params.data.key)) extra.sentiment = params.data.key;
          return drillUrl(el, extra);
        },
      };
    },
    sov(el, data) {
      return {
        tooltip: { trigger: "item", formatter: (i) => esc(i.name) + ": " + esc(i.value) + " " + esc(el.dataset.labelMentions) + " (" + esc(i.percent) + "%)" },
        series: [{ type: "pie", radius: ["40%", "70%"], label: { formatter: (i) => i.name },
          data: data.brands.map((b) => ({ name: b.name, value: b.mentions, brand: b.brand })) }],
        onClick: (params) => params.data && drillUrl(el, { brand: params.data.brand }),
      };
    },
    intents(el, data) {
      return {
        tooltip: { trigger: "item", formatter: (i) => esc(i.name) + ": " + esc(i.value) },
        xAxis: { type: "category", data: data.results.map((r) => r.label) }, yAxis: { type: "value" },
        grid: { left: 48, right: 16, top: 16, bottom: 30 },
        series: [{ type: "bar", data: data.results.map((r) => ({ value: r.mentions, intent: r.intent })) }],
        onClick: (params) => params.data && drillUrl(el, { intent: params.data.intent }),
      };
    },
  };

  function init(root) {
    if (!window.echarts) return;
    const locale = document.documentElement.lang === "en" ? "EN" : "ZH";
    root.querySelectorAll("[data-chart]").forEach((el) => {
      if (el.dataset.ready) return;
      el.dataset.ready = "1";
      const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
      const built = builders[el.dataset.chart](el, data);
      const onClick = built.onClick;
      delete built.onClick;
      const chart = window.echarts.init(el, el.dataset.theme || null, { locale });
      chart.setOption(Object.assign({ animation: false }, built));
      chart.on("click", (params) => {
        const url = onClick && onClick(params);
        if (url) window.location.href = url;
      });
      el.echart = chart;
    });
  }
  window.roomCharts = init;
  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:afterSettle", (e) => init(e.target));
  window.addEventListener("resize", () => document.querySelectorAll("[data-chart]").forEach((el) => el.echart && el.echart.resize()));
})();
