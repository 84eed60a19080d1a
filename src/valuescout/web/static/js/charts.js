// Vega-Lite charts in the app's pages, from specs the server builds (analytics/charts.py).
//
// Markup: an element with `data-vega-spec` and its spec as JSON in a
// `<script type="application/json">`: either inside the element (data-vega-spec="") or
// elsewhere, named by id (data-vega-spec="spec-id"). The chart is drawn into a new
// `<div class="vega-chart">` inside the element, as SVG, without the actions menu.
//
// Load with script elements (src=..., defer) after the vendored builds, in this order (the
// page's CSP allows scripts from /static only): /static/vendor/vega/vega.min.js,
// /static/vendor/vega/vega-lite.min.js, /static/vendor/vega/vega-embed.min.js,
// /static/js/charts.js; and the stylesheet /static/css/charts.css for the tooltip.
// The standalone analytics report inlines this file as it is (so: no closing script tag
// and no HTML comment opener anywhere in it).
// CSP: `ast: true` runs Vega expressions through the interpreter bundled in vega-embed (no
// eval / new Function), `defaultStyle: false` and the tooltip's `disableDefaultStyle` keep
// vega-embed from adding <style> elements. Content swapped in by htmx is drawn as it arrives.
(function () {
  "use strict";

  const OPTIONS = {
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    mode: "vega-lite",
    tooltip: { disableDefaultStyle: true },
  };

  function specOf(element) {
    const id = element.getAttribute("data-vega-spec");
    const holder = id
      ? document.getElementById(id)
      : element.querySelector('script[type="application/json"]');
    if (!holder) throw new Error("no spec for chart " + (id || "(inner)"));
    return JSON.parse(holder.textContent);
  }

  function draw(element) {
    if (element.dataset.vegaDrawn) return;
    element.dataset.vegaDrawn = "1";
    if (typeof window.vegaEmbed !== "function") {
      element.dataset.vegaError = "vega-embed is not loaded";
      return;
    }
    let spec;
    try {
      spec = specOf(element);
    } catch (error) {
      element.dataset.vegaError = String(error.message || error);
      return;
    }
    const target = document.createElement("div");
    target.className = "vega-chart";
    element.appendChild(target);
    window
      .vegaEmbed(target, spec, OPTIONS)
      .then(function () {
        element.dataset.vegaReady = "1";
      })
      .catch(function (error) {
        element.dataset.vegaError = String(error.message || error);
      });
  }

  function drawAll(root) {
    const scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-vega-spec]")) draw(scope);
    scope.querySelectorAll("[data-vega-spec]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target);
  });
})();
