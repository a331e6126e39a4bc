//! The one table of routes, declared with [`route_table!`] in `routes/mod.rs`: each row names a
//! handler and who may use it. The router, the permissions the authorisation layer checks and
//! the paths of the OpenAPI document are all made from it.
//!
//! A route of the JSON API takes its method and path from its handler's `#[utoipa::path]`
//! attribute, which utoipa needs anyway, so they are written there and nowhere else. A page of
//! the staff web UI (server-rendered HTML, not in the API document) has no such attribute: its
//! row writes its method and path.

use std::sync::LazyLock;

use axum::Router;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter};
use domain::access::Role;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{HttpMethod, OpenApi};

use crate::state::ApiState;

/// The security scheme of the API document that guarded routes require.
pub(crate) const BEARER: &str = "bearer";

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token.
    Public,
    /// A user with one of these roles, by bearer token.
    Roles(&'static [Role]),
}

/// Which surface a route belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The JSON API, described in the OpenAPI document.
    Api,
    /// A page of the staff web UI: permissions like any route, not in the API document.
    Page,
}

/// One row of the table.
#[derive(Debug)]
pub struct Route {
    pub method: Method,
    /// The path pattern, as the router matches it (`/api/dossiers/{dossier}`).
    pub path: String,
    pub access: Access,
    pub kind: Kind,
    /// The handler as the table names it, e.g. `reads::claims`.
    pub handler: &'static str,
    filter: MethodFilter,
    method_router: fn(MethodFilter) -> MethodRouter<ApiState>,
    /// The handler's part of the API document: utoipa's description of it alone.
    document: Option<fn() -> OpenApi>,
}

impl Route {
    /// A route of the JSON API, at the method and path of its handler's `#[utoipa::path]`.
    ///
    /// # Panics
    /// When that attribute does not name exactly one method and one path (a table with such a
    /// row fails every test that makes the router).
    pub(crate) fn api(
        handler: &'static str,
        access: Access,
        method_router: fn(MethodFilter) -> MethodRouter<ApiState>,
        document: fn() -> OpenApi,
    ) -> Self {
        let Some((path, method, filter)) = only_operation(document()) else {
            panic!("{handler}: its #[utoipa::path] must name one method and one path");
        };
        Self {
            method,
            path,
            access,
            kind: Kind::Api,
            handler,
            filter,
            method_router,
            document: Some(document),
        }
    }

    /// A page of the staff web UI, at the method and path its row writes.
    pub(crate) fn page(
        (method, filter): (Method, MethodFilter),
        path: &'static str,
        handler: &'static str,
        access: Access,
        method_router: fn(MethodFilter) -> MethodRouter<ApiState>,
    ) -> Self {
        Self {
            method,
            path: path.to_owned(),
            access,
            kind: Kind::Page,
            handler,
            filter,
            method_router,
            document: None,
        }
    }
}

/// The one path of a handler's document, with its one method.
fn only_operation(mut document: OpenApi) -> Option<(String, Method, MethodFilter)> {
    let mut paths = document.paths.paths.iter_mut();
    let (path, item) = paths.next()?;
    let mut methods = METHODS
        .iter()
        .filter(|(http, ..)| operation_mut(item, http).is_some());
    let (_, method, filter) = methods.next()?;
    if methods.next().is_some() || paths.next().is_some() {
        return None;
    }
    Some((path.clone(), method.clone(), *filter))
}

/// The same method in utoipa, in `http` and in axum's router.
const METHODS: [(HttpMethod, Method, MethodFilter); 8] = [
    (HttpMethod::Get, Method::GET, MethodFilter::GET),
    (HttpMethod::Post, Method::POST, MethodFilter::POST),
    (HttpMethod::Put, Method::PUT, MethodFilter::PUT),
    (HttpMethod::Patch, Method::PATCH, MethodFilter::PATCH),
    (HttpMethod::Delete, Method::DELETE, MethodFilter::DELETE),
    (HttpMethod::Head, Method::HEAD, MethodFilter::HEAD),
    (HttpMethod::Options, Method::OPTIONS, MethodFilter::OPTIONS),
    (HttpMethod::Trace, Method::TRACE, MethodFilter::TRACE),
];

fn operation_mut<'a>(item: &'a mut PathItem, method: &HttpMethod) -> Option<&'a mut Operation> {
    match method {
        HttpMethod::Get => item.get.as_mut(),
        HttpMethod::Post => item.post.as_mut(),
        HttpMethod::Put => item.put.as_mut(),
        HttpMethod::Patch => item.patch.as_mut(),
        HttpMethod::Delete => item.delete.as_mut(),
        HttpMethod::Head => item.head.as_mut(),
        HttpMethod::Options => item.options.as_mut(),
        HttpMethod::Trace => item.trace.as_mut(),
    }
}

static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(crate::routes::table);

/// Every route of the service, in table order.
pub fn routes() -> &'static [Route] {
    &ROUTES
}

/// The route the router matched: its method and path pattern.
pub(crate) fn find(method: &Method, path: &str) -> Option<&'static Route> {
    routes()
        .iter()
        .find(|r| r.method == method && r.path == path)
}

/// Every route of `routes` with its handler.
pub(crate) fn router(routes: &[Route]) -> Router<ApiState> {
    routes.iter().fold(Router::new(), |router, route| {
        router.route(&route.path, (route.method_router)(route.filter))
    })
}

/// The paths of the API document: each API route as its handler describes it, guarded by a
/// bearer token unless the table says it is public.
pub(crate) fn api_paths(routes: &[Route]) -> OpenApi {
    let mut paths = OpenApi::default();
    for route in routes {
        let Some(document) = route.document else {
            continue;
        };
        let mut part = document();
        let security = match route.access {
            Access::Public => None,
            Access::Roles(_) => Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]),
        };
        // The part holds this route's one operation ([`Route::api`]).
        for item in part.paths.paths.values_mut() {
            for (http, ..) in &METHODS {
                if let Some(operation) = operation_mut(item, http) {
                    operation.security.clone_from(&security);
                }
            }
        }
        paths.merge(part);
    }
    paths
}

/// Declares the route table: `pub(crate) fn table() -> Vec<Route>`, one [`Route`] per row.
///
/// ```text
/// route_table! {
///     api {
///         // handler => who may use it
///         dossiers::open => WRITERS,
///         service::health => PUBLIC,
///     }
///     pages {
///         // method path, handler => who may use it
///         GET "/dossiers/{dossier}", web::dossier => STAFF,
///     }
/// }
/// ```
macro_rules! route_table {
    (
        api { $( $api:ident $(:: $api_rest:ident)* => $access:expr ),* $(,)? }
        pages {
            $( $method:ident $path:literal, $page:ident $(:: $page_rest:ident)* => $page_access:expr ),*
            $(,)?
        }
    ) => {
        pub(crate) fn table() -> Vec<$crate::route_table::Route> {
            vec![
                $(
                    $crate::route_table::Route::api(
                        concat!(stringify!($api) $(, "::", stringify!($api_rest))*),
                        $access,
                        |filter| axum::routing::on(filter, $api $(:: $api_rest)*),
                        || {
                            // utoipa's description of this one handler, from its attribute.
                            #[derive(utoipa::OpenApi)]
                            #[openapi(paths($api $(:: $api_rest)*))]
                            struct Handler;
                            <Handler as utoipa::OpenApi>::openapi()
                        },
                    ),
                )*
                $(
                    $crate::route_table::Route::page(
                        (axum::http::Method::$method, axum::routing::MethodFilter::$method),
                        $path,
                        concat!(stringify!($page) $(, "::", stringify!($page_rest))*),
                        $page_access,
                        |filter| axum::routing::on(filter, $page $(:: $page_rest)*),
                    ),
                )*
            ]
        }
    };
}
pub(crate) use route_table;

#[cfg(test)]
mod tests {
    use axum::response::Html;

    use super::*;
    use crate::routes::service;

    async fn hello() -> Html<&'static str> {
        Html("<p>Hallo</p>")
    }

    const STAFF: Access = Access::Roles(&[Role::Staff]);

    route_table! {
        api {
            service::health => Access::Public,
        }
        pages {
            GET "/hello", hello => STAFF,
        }
    }

    #[test]
    fn an_api_route_is_where_its_attribute_says_and_a_page_where_its_row_says() {
        let routes = table();
        let found: Vec<_> = routes
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str(), r.kind, r.handler))
            .collect();
        assert_eq!(
            found,
            [
                ("GET", "/health", Kind::Api, "service::health"),
                ("GET", "/hello", Kind::Page, "hello"),
            ]
        );
        let paths = api_paths(&routes);
        let documented: Vec<_> = paths.paths.paths.keys().collect();
        assert_eq!(documented, ["/health"], "a page is not in the API document");
        let _ = router(&routes);
    }
}
