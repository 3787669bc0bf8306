// Test stand-in for window.BurnstationOriginals (VIEWER/DCMREAD.JS) while that file on the volume
// is still a placeholder: injected into the page by check_viewer.mjs so the viewer's "open
// original images" mode can be driven. It reads only what make_fixture.mjs writes: uncompressed
// Explicit VR Little Endian, 16-bit MONOCHROME2, one frame. Windowing follows PS3.3 C.11.2.1.2.
(function () {
  'use strict';
  if (window.BurnstationOriginals) return;

  function elements(buffer) {
    var dv = new DataView(buffer), off = 132, out = {};
    while (off + 8 <= dv.byteLength) {
      var tag = (dv.getUint16(off, true) * 65536 + dv.getUint16(off + 2, true)).toString(16);
      var vr = String.fromCharCode(dv.getUint8(off + 4), dv.getUint8(off + 5));
      var long = ['OB', 'OW', 'SQ', 'UN', 'UT'].indexOf(vr) >= 0;
      var len = long ? dv.getUint32(off + 8, true) : dv.getUint16(off + 6, true);
      var start = off + (long ? 12 : 8);
      out[tag] = { start: start, len: len };
      off = start + len;
    }
    return { dv: dv, at: out };
  }

  function text(d, tag) {
    var e = d.at[tag];
    if (!e) return '';
    return String.fromCharCode.apply(null, new Uint8Array(d.dv.buffer, e.start, e.len)).trim();
  }

  function uint16(d, tag) { var e = d.at[tag]; return e ? d.dv.getUint16(e.start, true) : 0; }

  window.BurnstationOriginals = {
    index: function (files) {
      var map = new Map();
      Array.prototype.forEach.call(files, function (f) {
        map.set(String(f.webkitRelativePath || f.name).toUpperCase(), f);
      });
      return map;
    },
    render: function (canvas, file, frameIndex0, win) {
      return file.arrayBuffer().then(function (buffer) {
        var d = elements(buffer);
        var rows = uint16(d, '280010'), columns = uint16(d, '280011');
        var slope = Number(text(d, '281053') || 1), intercept = Number(text(d, '281052') || 0);
        var center = win ? win.center : Number(text(d, '281050'));
        var width = win ? win.width : Number(text(d, '281051'));
        var spacing = text(d, '280030').split('\\').map(Number);
        var px = d.at['7fe00010'];
        canvas.width = columns;
        canvas.height = rows;
        var ctx = canvas.getContext('2d');
        var img = ctx.createImageData(columns, rows);
        for (var i = 0; i < rows * columns; i++) {
          var v = d.dv.getUint16(px.start + 2 * i, true) * slope + intercept;
          var g;
          if (v <= center - 0.5 - (width - 1) / 2) g = 0;
          else if (v > center - 0.5 + (width - 1) / 2) g = 255;
          else g = ((v - (center - 0.5)) / (width - 1) + 0.5) * 255;
          img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = g;
          img.data[4 * i + 3] = 255;
        }
        ctx.putImageData(img, 0, 0);
        return { center: center, width: width, rows: rows, columns: columns, pixelSpacing: spacing };
      });
    }
  };
})();
