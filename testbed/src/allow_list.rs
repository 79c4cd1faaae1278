//! The probe of the page agent's allow-list, shared by both browsers' tests: requests the overlay
//! never makes, sent on a port to the agent as the overlay's would be, and the one answer each
//! must get. Only how the port is reached differs between the browsers (a runtime port in
//! Chromium, the overlay's MessageChannel in Firefox), so the caller names that part.

use crate::server::WORKFLOWS_OAUTH_APP_ID;
use serde_json::Value;

/// The id of the only probe the agent may send (`GET /api/v1/users/me` with the page's token).
const ALLOWED: u32 = 900_012;

/// JavaScript that sends every probe and resolves to the agent's answers by request id. `port` is
/// an expression for the port; `listen(handler)` must call `handler` with each message from the
/// agent as an object, and `send(message)` must post an object to it; both are JavaScript
/// function expressions, given `port`.
pub fn probe_script(port: &str, listen: &str, send: &str) -> String {
    format!(
        "(async () => {{\
           const port = {port}; const listen = {listen}; const send = {send};\
           const answers = {{}};\
           listen(m => {{ if (m.api_answer) answers[m.api_answer.request] = m.api_answer; }});\
           const token = ['#_xsrfToken'];\
           const tries = [\
             [900001, 'DELETE', '/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants/oag1', null, token],\
             [900002, 'PUT', '/api/v1/users/me', null, token],\
             [900003, 'GET', '/admin/dashboard', null, token],\
             [900004, 'GET', 'https://evil.example/api/v1/users/me', null, token],\
             [900005, 'GET', '//evil.example/api/v1/users/me', null, token],\
             [900006, 'GET', '/api/v1/../admin/dashboard', null, token],\
             [900007, 'GET', '/api/v1/users/%2e%2e/%2e%2e/admin', null, token],\
             [900008, 'GET', '/api/v1/users/me#x', null, token],\
             [900009, 'GET', '/api/v1/users/me', 'a body', token],\
             [900010, 'POST', '/api/v1/apps/{WORKFLOWS_OAUTH_APP_ID}/grants', {{scopeId: 'x'}}, token],\
             [900011, 'GET', '/api/v1/users/me', null, ['#no-such-token']],\
             [{ALLOWED}, 'GET', '/api/v1/users/me', null, token],\
           ];\
           for (const [request, method, path, body, at] of tries)\
             send({{api_fetch: {{request, method, path, body, xsrf_token_at: at}}}});\
           for (let i = 0; i < 100 && Object.keys(answers).length < tries.length; i++)\
             await new Promise(r => setTimeout(r, 50));\
           return answers;\
         }})()"
    )
}

/// Checks the agent's `answers` to [`probe_script`] and the requests the org then received
/// (`"METHOD target"`, in order): every probe outside the allow-list refused unsent, the one
/// without a token refused for it, and only the allowed one sent and answered whole.
pub fn check_answers(answers: &Value, sent: &[String]) {
    for request in 900_001..=900_010 {
        assert_eq!(
            answers[request.to_string()]["problem"],
            "refused",
            "request {request}: {answers}"
        );
        assert!(answers[request.to_string()]["status"].is_null());
    }
    assert_eq!(answers["900011"]["problem"], "no_token", "{answers}");
    let allowed = &answers[ALLOWED.to_string()];
    assert_eq!(allowed["status"], 200, "{answers}");
    assert_eq!(allowed["body"]["id"], "00u1demoadmin000000a");
    for header in [
        "rate_limit_limit",
        "rate_limit_remaining",
        "rate_limit_reset",
        "content_type",
    ] {
        assert!(
            allowed["headers"][header].is_string(),
            "{header} in {answers}"
        );
    }
    assert_eq!(
        sent,
        ["GET /api/v1/users/me"],
        "only the allowed request left"
    );
}
