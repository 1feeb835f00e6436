/* Starts the API's Swagger UI (templates/common/api_docs.html). A static file rather than an inline script:
   the site's Content-Security-Policy allows scripts from 'self' only. The settings come from the JSON block
   #swagger-settings; the CSRF token (the API authenticates with the Django session) from the body. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  if (csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
