/*
 * Draws every Vega-Lite chart on the page with vega-embed.
 *
 * Markup (written by {% vega_chart %}, evidens/core/templatetags/evidens_charts.py):
 *   <figure class="chart" data-spec-id="chart-…">
 *     <div class="chart-view" role="img" aria-label="…"><div class="chart-canvas"></div></div>
 *     <script type="application/json" id="chart-…">{…spec…}</script>
 *     <figcaption>…</figcaption>
 *   </figure>
 *
 * Needs vega, vega-lite and vega-embed loaded before it ({% chart_scripts %} does that).
 * Charts arriving later through htmx are drawn after the swap; charts swapped out are finalised.
 * Works under a strict Content-Security-Policy (script-src 'self'; style-src 'self'): no inline
 * script, no eval (expressions run through vega's interpreter, ast: true), no injected <style>.
 */
(function () {
  "use strict";

  var SELECTOR = "figure.chart[data-spec-id]";
  var OPTIONS = {
    actions: false,
    renderer: "svg",
    ast: true,
    // Styles for the wrapper and the tooltip live in evidens.css: injecting <style> would need
    // 'unsafe-inline' in the Content-Security-Policy.
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };
  var drawn = new Map(); // figure -> vega-embed result

  function findSpec(figure) {
    var id = figure.getAttribute("data-spec-id");
    var inside = figure.querySelector('script[type="application/json"]');
    if (inside && inside.id === id) {
      return inside;
    }
    return document.getElementById(id);
  }

  function draw(figure) {
    if (figure.hasAttribute("data-chart-state")) {
      return;
    }
    var source = findSpec(figure);
    if (!source) {
      figure.setAttribute("data-chart-state", "missing");
      return;
    }
    if (typeof window.vegaEmbed !== "function") {
      figure.setAttribute("data-chart-state", "unavailable");
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      figure.setAttribute("data-chart-state", "failed");
      console.error("evidens-charts: unreadable spec", figure.getAttribute("data-spec-id"), error);
      return;
    }
    // Vega sets its own role and label on the element it draws into: draw inside the
    // role="img" wrapper, never into it.
    var target = figure.querySelector(".chart-canvas") || figure.querySelector(".chart-view") || figure;
    figure.setAttribute("data-chart-state", "drawing");
    window
      .vegaEmbed(target, spec, OPTIONS)
      .then(function (result) {
        // The wrapper (role="img") names the chart; the marks inside are decoration to a screen
        // reader, and their unnamed roles would each be read out (and fail WCAG's svg-img-alt).
        var svg = target.querySelector("svg");
        if (svg) {
          svg.setAttribute("aria-hidden", "true");
        }
        drawn.set(figure, result);
        figure.setAttribute("data-chart-state", "drawn");
      })
      .catch(function (error) {
        figure.setAttribute("data-chart-state", "failed");
        console.error("evidens-charts: could not draw", figure.getAttribute("data-spec-id"), error);
      });
  }

  function forget() {
    drawn.forEach(function (result, figure) {
      if (!figure.isConnected) {
        result.finalize();
        drawn.delete(figure);
      }
    });
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(SELECTOR)) {
      draw(scope);
    }
    scope.querySelectorAll(SELECTOR).forEach(draw);
  }

  window.evidensCharts = { drawAll: drawAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }

  // htmx: with an outerHTML swap the event's target is the element that was replaced,
  // so look through the whole document; figures already drawn are skipped.
  document.addEventListener("htmx:afterSwap", function () {
    forget();
    drawAll(document);
  });
})();
