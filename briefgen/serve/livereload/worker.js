/* briefgen live reload: one event stream shared by every open tab of the site.
 *
 * Browsers open at most six connections per host; a stream per tab would use them up.
 * This shared worker holds a single EventSource and relays each state to every tab.
 */
"use strict";

var ports = [];
var last = null; // the latest state, for tabs that connect later
var source = new EventSource("events");

source.addEventListener("message", function (event) {
  last = event.data;
  ports.forEach(function (port) {
    port.postMessage(last);
  });
});

source.addEventListener("error", function () {
  last = null; // the server went away: a restarted one starts a new session
});

self.addEventListener("connect", function (event) {
  var port = event.ports[0];
  ports.push(port);
  port.addEventListener("message", function (message) {
    if (message.data === "bye") {
      ports = ports.filter(function (other) {
        return other !== port;
      });
    }
  });
  port.start();
  if (last !== null) {
    port.postMessage(last);
  }
});
