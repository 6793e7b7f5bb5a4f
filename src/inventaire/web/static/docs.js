// /docs: Swagger UI over the vendored bundle. « Try it out » runs as the person logged in on the
// dashboard: each request to this server carries the page session's CSRF token (X-CSRF-Token), so
// the API accepts the session's cookie (deps.py); a token given with « Authorize » goes first.
(function () {
  "use strict";
  var meta = document.querySelector("meta[name='csrf-token']");
  var csrf = meta ? meta.content : "";
  window.ui = SwaggerUIBundle({
    url: document.getElementById("swagger-ui").dataset.schema,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    requestInterceptor: function (request) {
      // Never hand the token to another site (a server typed by hand in the schema's URL).
      if (csrf && new URL(request.url, window.location.href).origin === window.location.origin) {
        request.headers["X-CSRF-Token"] = csrf;
      }
      return request;
    },
  });
})();
