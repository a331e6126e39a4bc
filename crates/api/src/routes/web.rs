//! The pages a browser gets. Until the staff web application is served here, the root says, in
//! Dutch, what this address is and where the API and its documentation are: a person who opens
//! the address the first command printed gets a page, not a JSON error.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const HOME: &str = r#"<!doctype html>
<html lang="nl-BE">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dossier · VAPH budgetbesteding</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1c1c1c; }
h1 { font-size: 1.6rem; }
a { color: #0b5394; }
code { background: #f1f1f1; padding: 0 .2rem; }
</style>
</head>
<body>
<main>
<h1>Dossier</h1>
<p>Dossier is het dossierbeheer van het team Budgetbesteding van het VAPH: persoonsvolgende
budgetten (PVB) en persoonlijke-assistentiebudgetten (PAB), hun overeenkomsten, kostenstaten en
beslissingen.</p>
<p>De webtoepassing voor medewerkers komt op dit adres. Tot dan werkt u met de API:</p>
<ul>
<li><a href="/api/docs">Documentatie van de API</a> (Swagger UI: druk op <em>Authorize</em> en
plak uw token)</li>
<li><a href="/api/openapi.json">De API-beschrijving (OpenAPI)</a></li>
<li><a href="/health">Staat van de dienst</a></li>
</ul>
<p>Een token krijgt u van de beheerder: <code>dossier user token &lt;naam&gt;</code>.</p>
</main>
</body>
</html>
"#;

/// `GET /`: what this address is, in Dutch.
pub async fn home() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], HOME).into_response()
}
