// The API reference (templates/api/docs.html): Swagger UI on the OpenAPI document
// named by the page. Requests tried here need the token entered under Authorize:
// the API takes no session.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
    tryItOutEnabled: false,
    // Swagger UI asks a validator on the internet by default; this site asks none.
    validatorUrl: null,
  });
})();
