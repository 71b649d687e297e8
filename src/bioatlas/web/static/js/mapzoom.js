/* Zoom and pan for the offline SVG map (no library, no network). The buttons, the mouse wheel and dragging
   change the viewBox; markers, labels and the moves made to keep markers apart are divided by the zoom factor,
   so zooming in spreads points apart (and moved points slide back to where they are) instead of enlarging them.
   Without script the map is the whole view, as the server drew it. */
(function () {
  "use strict";
  var svg = document.getElementById("offline-map");
  var tools = document.getElementById("map-tools");
  if (!svg || !tools) { return; }
  var base = svg.getAttribute("data-view").split(" ").map(Number);
  var view = base.slice();
  var MAX_ZOOM = 64;
  var points = Array.prototype.map.call(svg.querySelectorAll("a.point"), function (a) {
    var text = a.querySelector("text");
    var d = a.dataset;
    var x = Number(d.x), y = Number(d.y), dx = Number(d.dx), dy = Number(d.dy), r = Number(d.r);
    var label = text ? {
      el: text, ox: Number(text.getAttribute("x")) - (x + dx), oy: Number(text.getAttribute("y")) - (y + dy),
      size: Number(text.getAttribute("font-size")), stroke: Number(text.getAttribute("stroke-width"))
    } : null;
    return { a: a, x: x, y: y, dx: dx, dy: dy, r: r, circle: a.querySelector("circle"),
      mark: a.querySelector(".park-mark"), label: label,
      leader: svg.querySelector('line.leader[data-for="' + CSS.escape(d.id) + '"]') };
  });

  function zoom() { return base[2] / view[2]; }

  function draw() {
    svg.setAttribute("viewBox", view.map(function (v) { return v.toFixed(3); }).join(" "));
    var z = zoom();
    points.forEach(function (p) {
      var cx = p.x + p.dx / z, cy = p.y + p.dy / z, r = p.r / z;
      p.circle.setAttribute("cx", cx); p.circle.setAttribute("cy", cy); p.circle.setAttribute("r", r);
      if (p.mark) {
        p.mark.setAttribute("x", cx - r * 0.45); p.mark.setAttribute("y", cy - r * 0.45);
        p.mark.setAttribute("width", r * 0.9); p.mark.setAttribute("height", r * 0.9);
      }
      if (p.label) {
        p.label.el.setAttribute("x", cx + p.label.ox / z); p.label.el.setAttribute("y", cy + p.label.oy / z);
        p.label.el.setAttribute("font-size", p.label.size / z);
        p.label.el.setAttribute("stroke-width", p.label.stroke / z);
      }
      if (p.leader) { p.leader.setAttribute("x2", cx); p.leader.setAttribute("y2", cy); }
    });
  }

  function clamp() {
    view[2] = Math.min(Math.max(view[2], base[2] / MAX_ZOOM), 360);
    view[3] = view[2] * base[3] / base[2];
    view[0] = Math.min(Math.max(view[0], 0), 360 - view[2]);
    view[1] = Math.min(Math.max(view[1], 0), Math.max(0, 180 - view[3]));
  }

  function zoomBy(factor, cx, cy) {
    if (cx === undefined) { cx = view[0] + view[2] / 2; cy = view[1] + view[3] / 2; }
    var w = view[2] / factor, h = view[3] / factor;
    view = [cx - (cx - view[0]) / factor, cy - (cy - view[1]) / factor, w, h];
    clamp();
    draw();
  }

  function toMap(evt) {
    var box = svg.getBoundingClientRect();
    var scale = Math.max(view[2] / box.width, view[3] / box.height);
    var offX = (box.width * scale - view[2]) / 2, offY = (box.height * scale - view[3]) / 2;
    return [view[0] - offX + (evt.clientX - box.left) * scale, view[1] - offY + (evt.clientY - box.top) * scale, scale];
  }

  tools.hidden = false;
  tools.addEventListener("click", function (evt) {
    var button = evt.target.closest("button[data-zoom]");
    if (!button) { return; }
    var kind = button.getAttribute("data-zoom");
    if (kind === "in") { zoomBy(2); } else if (kind === "out") { zoomBy(0.5); } else { view = base.slice(); draw(); }
  });
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var at = toMap(evt);
    zoomBy(evt.deltaY < 0 ? 1.25 : 0.8, at[0], at[1]);
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (evt) {
    drag = { x: evt.clientX, y: evt.clientY, view: view.slice(), scale: toMap(evt)[2], moved: false };
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var dx = evt.clientX - drag.x, dy = evt.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    drag.moved = true;
    view = [drag.view[0] - dx * drag.scale, drag.view[1] - dy * drag.scale, drag.view[2], drag.view[3]];
    clamp();
    draw();
  });
  svg.addEventListener("pointerup", function () { setTimeout(function () { drag = null; }, 0); });
  svg.addEventListener("pointerleave", function () { drag = null; });
  svg.addEventListener("click", function (evt) {  // a drag that ends on a point does not open it
    if (drag && drag.moved) { evt.preventDefault(); }
  }, true);
}());
