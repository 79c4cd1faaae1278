//! The browser-side Rust in headless Chromium (wasm-bindgen-test): the overlay drawn from a check
//! result, decoding of the messages the overlay and the service worker receive, and the codec
//! every crossing value goes through, checked against serde-wasm-bindgen and serde_json.

#![cfg(target_arch = "wasm32")]

use okta_devices_helper::message::{Message, PageFacts};
use okta_devices_helper::overlay_model::{decide, UiState};
use okta_devices_helper::web::morph::morph_children;
use okta_devices_helper::web::render::{render, render_fatal};
use okta_devices_helper::web::{decode_message, encode_message};
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element};

wasm_bindgen_test_configure!(run_in_browser);

fn js(value: serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("valid JSON")
}

/// Facts of the app page at `hash`, with the scan's rows as the agent sends them.
fn facts(hash: &str, rows: serde_json::Value) -> PageFacts {
    serde_json::from_value(json!({
        "seq": 7,
        "location": {"host": "acme-admin.okta.com", "path": "/admin/app/flow/instance/0oa1/", "hash": hash},
        "probes": [{"id": "scope_table", "matched": 0, "items": [{}]}],
        "scan": rows
    }))
    .expect("facts")
}

/// A scanned row offering Grant.
fn grant_row(name: &str) -> serde_json::Value {
    json!({"name": name, "hook": "scope-row", "matched": 0, "place": "document", "texts": [],
           "controls": [{"name": "Grant", "role": "button", "hook": "grant-button", "disabled": false,
                         "hidden": false, "pressed": null, "checked": null}]})
}

fn fresh_root() -> (Document, Element) {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("attached");
    (document, root)
}

fn states(root: &Element) -> Vec<(String, String)> {
    let items = root.query_selector_all("[data-scope]").expect("query");
    (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok())
        .map(|e| {
            (
                e.get_attribute("data-scope").unwrap_or_default(),
                e.get_attribute("data-state").unwrap_or_default(),
            )
        })
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .expect("query")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn the_checklist_is_drawn_with_one_element_per_scope() {
    let (document, root) = fresh_root();
    let model = decide(
        &facts(
            "#tab-okta-api-scopes",
            json!([grant_row("okta.devices.manage")]),
        ),
        &UiState::default(),
    );
    render(&document, &root, &model).expect("renders");

    let states = states(&root);
    assert_eq!(states.len(), 9);
    assert!(states[..7].iter().all(|(_, state)| state == "granted"));
    assert_eq!(states[7], ("okta.devices.manage".into(), "missing".into()));
    assert_eq!(states[8].0, "okta.devices.read");
    assert_eq!(
        root.query_selector("[data-scope='okta.devices.read']")
            .expect("query")
            .and_then(|e| e.get_attribute("data-optional"))
            .as_deref(),
        Some("true")
    );
    assert!(root
        .query_selector("[data-scope='okta.devices.manage'][data-optional]")
        .expect("query")
        .is_none());
    assert_eq!(
        text(&root, "select[data-field='profile'] option[selected]"),
        "Okta Devices"
    );
    assert_eq!(root.get_attribute("data-mode").as_deref(), Some("panel"));
    assert_eq!(
        text(&root, "[data-scope='okta.devices.manage'] .badge"),
        "grant this"
    );
    assert_eq!(text(&root, "[data-scope='openid'] .badge"), "auto-granted");
    assert_eq!(text(&root, ".domain code"), "acme.okta.com");
    assert!(root
        .query_selector("[data-action='show-me']")
        .expect("query")
        .is_some());
}

/// A scanned row offering Revoke: the scope is granted.
fn revoke_row(name: &str) -> serde_json::Value {
    let mut row = grant_row(name);
    row["controls"][0]["name"] = json!("Revoke");
    row["controls"][0]["hook"] = json!("revoke-button");
    row
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("query")
        .unwrap_or_else(|| panic!("{selector} is drawn"))
}

#[wasm_bindgen_test]
fn a_redraw_changes_only_what_differs_and_keeps_the_rest_of_the_panel() {
    let (document, root) = fresh_root();
    let missing = facts(
        "#tab-okta-api-scopes",
        json!([grant_row("okta.devices.manage")]),
    );
    render(&document, &root, &decide(&missing, &UiState::default())).expect("renders");
    let openid_line = one(&root, "[data-scope='openid']");
    let manage_line = one(&root, "[data-scope='okta.devices.manage']");
    let show_me = one(&root, "[data-action='show-me']");
    let profile = one(&root, "select[data-field='profile']");
    // Something of the admin's that the model does not draw: an attribute on a kept node.
    openid_line
        .set_attribute("data-test-mark", "kept")
        .expect("marked");

    // The admin granted the scope on the page: one line changes.
    let granted = facts(
        "#tab-okta-api-scopes",
        json!([revoke_row("okta.devices.manage")]),
    );
    render(&document, &root, &decide(&granted, &UiState::default())).expect("renders");
    let manage_after = one(&root, "[data-scope='okta.devices.manage']");
    assert_eq!(
        manage_after.get_attribute("data-state").as_deref(),
        Some("granted")
    );
    assert!(
        manage_after.is_same_node(Some(&manage_line)),
        "the line is updated in place"
    );
    assert!(
        one(&root, "[data-scope='openid']").is_same_node(Some(&openid_line)),
        "an unchanged line keeps its node"
    );
    assert!(one(&root, "select[data-field='profile']").is_same_node(Some(&profile)));
    // Attributes the drawing does not give are taken away: the panel is exactly the model.
    assert_eq!(openid_line.get_attribute("data-test-mark"), None);
    assert!(
        !show_me.is_connected(),
        "a button the model no longer shows is removed"
    );
    assert!(root
        .query_selector("[data-action='show-me']")
        .expect("query")
        .is_none());

    // Drawn again from the first model: the same markup as a first drawing into an empty root.
    render(&document, &root, &decide(&missing, &UiState::default())).expect("renders");
    let (_, first_drawing) = fresh_root();
    render(
        &document,
        &first_drawing,
        &decide(&missing, &UiState::default()),
    )
    .expect("renders");
    assert_eq!(root.inner_html(), first_drawing.inner_html());
    assert_eq!(
        one(&root, "[data-scope='okta.devices.manage']")
            .get_attribute("data-state")
            .as_deref(),
        Some("missing")
    );
}

/// A detached element holding `html`, parsed by the browser (test markup only).
fn tree(document: &Document, html: &str) -> Element {
    let holder = document.create_element("div").expect("div");
    holder.set_inner_html(html);
    holder
}

#[wasm_bindgen_test]
fn a_morph_keeps_a_node_only_while_it_does_the_same_thing() {
    let (document, live) = fresh_root();
    live.set_inner_html(
        "<button type=button data-action=grant data-scope=a>Grant a</button>\
         <button type=button data-action=copy-report>Copy</button>\
         <p class=note>old</p><p>gone</p>",
    );
    let grant = one(&live, "[data-action='grant']");
    let copy = one(&live, "[data-action='copy-report']");
    let note = one(&live, "p.note");
    let drawn = tree(
        &document,
        "<button type=button data-action=grant data-scope=b>Grant b</button>\
         <button type=button data-action=copy-report title=now>Copy the report</button>\
         <p class=note>new</p>",
    );
    let expected = drawn.inner_html();
    morph_children(&live, &drawn).expect("morphs");

    assert_eq!(live.inner_html(), expected);
    // The same action for another scope is another button: replaced, never relabelled in place.
    assert!(!grant.is_connected());
    // The same button with new words and attributes, and the same paragraph with new text: kept.
    assert!(one(&live, "[data-action='copy-report']").is_same_node(Some(&copy)));
    assert!(one(&live, "p.note").is_same_node(Some(&note)));
    assert_eq!(
        live.child_element_count(),
        3,
        "what the drawing lacks is removed"
    );
}

#[wasm_bindgen_test]
fn a_morph_brings_controls_to_the_drawn_state_and_keeps_an_opened_details() {
    let (document, live) = fresh_root();
    live.set_inner_html(
        "<input data-field=nickname value=Drawn>\
         <input type=radio name=pick data-field=pick value=s1>\
         <input type=radio name=pick data-field=pick value=s2 checked>\
         <details><summary>More</summary><pre>report</pre></details>",
    );
    let nickname: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(one(&live, "[data-field='nickname']"));
    let first: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(one(&live, "[value='s1']"));
    let details = one(&live, "details");
    // The admin typed, picked the first secret and opened the report; the model followed.
    nickname.set_value("Typed");
    first.set_checked(true);
    details.set_attribute("open", "").expect("opened");
    let drawn = tree(
        &document,
        "<input data-field=nickname value=Typed>\
         <input type=radio name=pick data-field=pick value=s1 checked>\
         <input type=radio name=pick data-field=pick value=s3>\
         <details><summary>More</summary><pre>report, again</pre></details>",
    );
    morph_children(&live, &drawn).expect("morphs");

    assert!(one(&live, "[data-field='nickname']").is_same_node(Some(&nickname)));
    assert_eq!(nickname.value(), "Typed");
    assert!(first.is_connected() && first.checked());
    // Another value is another choice: the radio for s2 gave way to the one for s3.
    let third: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(one(&live, "[value='s3']"));
    assert!(!third.checked());
    assert!(live
        .query_selector("[value='s2']")
        .expect("query")
        .is_none());
    assert!(one(&live, "details").is_same_node(Some(&details)));
    assert!(
        details.has_attribute("open"),
        "the admin's open report stays open"
    );
    assert_eq!(text(&live, "details pre"), "report, again");

    // The model changes its mind (a fill cleared the nickname): the input follows.
    let drawn = tree(
        &document,
        "<input data-field=nickname value=\"\">\
         <input type=radio name=pick data-field=pick value=s1>",
    );
    morph_children(&live, &drawn).expect("morphs");
    assert_eq!(nickname.value(), "");
    assert!(!first.checked());
    assert!(!details.is_connected());
}

#[wasm_bindgen_test]
fn an_unreadable_table_is_drawn_as_unknown_with_the_reason() {
    let (document, root) = fresh_root();
    let model = decide(
        &facts("#tab-okta-api-scopes", json!([])),
        &UiState::default(),
    );
    render(&document, &root, &model).expect("renders");
    assert_eq!(
        states(&root).get(7),
        Some(&("okta.devices.manage".into(), "unknown".into()))
    );
    assert!(text(&root, ".summary").starts_with("Could not confirm"));
    assert!(text(&root, ".problems").contains("no scope rows"));
    // The agent found rows, but none says anything the helper can read: can't confirm.
    let mut unreadable = grant_row("okta.devices.manage");
    unreadable["controls"][0]["hidden"] = json!(true);
    let model = decide(
        &facts("#tab-okta-api-scopes", json!([unreadable])),
        &UiState::default(),
    );
    render(&document, &root, &model).expect("renders");
    assert_eq!(
        states(&root).get(7),
        Some(&("okta.devices.manage".into(), "unknown".into()))
    );
    assert!(root
        .query_selector("[data-action='show-me']")
        .expect("query")
        .is_none());
}

#[wasm_bindgen_test]
fn page_text_is_drawn_as_text_never_as_markup() {
    let (document, root) = fresh_root();
    let mut facts = facts("#tab-okta-api-scopes", json!([]));
    facts.location.path = "/admin/app/<img src=x onerror=alert(1)>/instance/0oa1/".into();
    facts.location.hash = String::new();
    let model = decide(
        &facts,
        &UiState {
            collapsed: Some(false),
            ..UiState::default()
        },
    );
    render(&document, &root, &model).expect("renders");
    assert!(root.query_selector("img").expect("query").is_none());
    assert!(text(&root, ".notice").contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
fn the_first_watch_crosses_exactly_as_the_agent_read_ahead_with_it() {
    // The page agent reads ahead with a copy of this message made by serde_json
    // (`page_rules::agent_read_ahead`) and takes its held facts only when the overlay's own
    // message is the same text: the codec must write it exactly so.
    let watch = okta_devices_helper::page_rules::page_watch();
    let crossed = encode_message(&watch).expect("encodes");
    let text = js_sys::JSON::stringify(&crossed)
        .expect("stringifies")
        .as_string()
        .expect("a string");
    assert_eq!(text, serde_json::to_string(&watch).expect("serializes"));
}

#[wasm_bindgen_test]
fn a_fatal_error_is_shown_in_the_panel() {
    let (document, root) = fresh_root();
    render_fatal(&document, &root, "The helper stopped.").expect("renders");
    assert_eq!(root.get_attribute("data-mode").as_deref(), Some("error"));
    assert_eq!(text(&root, "[role='alert']"), "The helper stopped.");
}

#[wasm_bindgen_test]
fn messages_decode_from_plain_objects_and_encode_back() {
    let value = js(json!({"facts": {
        "seq": 3,
        "location": {"host": "acme-admin.okta.com", "path": "/", "hash": ""},
        "probes": [{"id": "app_tabs", "matched": null, "items": [{"name": "x", "grant": null}]}],
        "scan": [grant_row("okta.devices.manage")]
    }}));
    let message = decode_message(value).expect("decodes");
    let Message::Facts(facts) = &message else {
        panic!("expected facts");
    };
    assert_eq!(facts.seq, 3);
    assert_eq!(facts.probes[0].items[0].get("grant"), Some(&None));
    assert_eq!(
        facts
            .scan
            .as_ref()
            .map(|rows| rows[0].controls[0].hook.clone()),
        Some(Some("grant-button".to_owned()))
    );
}

#[wasm_bindgen_test]
fn worker_replies_encode_to_plain_objects_and_decode_back() {
    use okta_devices_helper::vault::{VaultLookup, VaultStatus};
    let reply = Message::VaultState {
        lookups: vec![
            VaultLookup::Ready(VaultStatus {
                org_domain: "acme.okta.com".into(),
                client_id: "0oa1wf2oauthdemo0x7q".into(),
                secret_hint: "\u{2022}\u{2022}\u{2022}\u{2022}WrBt".into(),
                captured_at_ms: 1_795_000_000_000.0,
                expires_at_ms: 1_795_000_600_000.0,
            }),
            VaultLookup::Empty {
                org_domain: "beta.okta.com".into(),
            },
        ],
    };
    let encoded = encode_message(&reply).expect("encodes");
    let json: serde_json::Value = serde_json::from_str(&String::from(
        js_sys::JSON::stringify(&encoded).expect("stringify"),
    ))
    .expect("json");
    assert_eq!(
        json["vault_state"]["lookups"][0]["ready"]["client_id"],
        "0oa1wf2oauthdemo0x7q"
    );
    assert_eq!(
        json["vault_state"]["lookups"][1],
        json!({"empty": {"org_domain": "beta.okta.com"}})
    );
    assert_eq!(decode_message(encoded).expect("round trip"), reply);
}

#[wasm_bindgen_test]
fn malformed_messages_are_rejected_without_echoing_their_contents() {
    for bad in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from_str("facts"),
        js(json!({})),
        js(json!({"apply": {"seq": 1}})),
        js(json!({"summary": {"missing": "one", "unconfirmed": 0, "blocked": false}})),
        js(json!({"summary": {"missing": 1, "unconfirmed": 0, "blocked": false}, "hunter2": {}})),
        js(json!({"api_answer": {"request": 1, "status": 200, "headers": {}, "problem": "one"}})),
        js(json!({"scroll_into_view": {"target": {"probe": "body", "index": 0, "part": null}}})),
        js(json!({"kind": "summary", "missing": 1, "unconfirmed": 0})),
        js(json!({"DROP TABLE": {"x": 1}})),
    ] {
        let error = decode_message(bad).expect_err("rejected");
        assert!(!error.to_string().contains("hunter2"), "{error}");
        assert!(!error.to_string().contains("one"), "{error}");
        assert!(!error.to_string().contains("DROP"), "{error}");
    }
}

#[wasm_bindgen_test]
fn unknown_extra_fields_are_never_read() {
    // The codec reads only the fields a message has; anything else stays unread.
    let message = decode_message(js(
        json!({"summary": {"missing": 1, "unconfirmed": 0, "blocked": false, "note": "hunter2"}}),
    ))
    .expect("decodes");
    assert_eq!(
        message,
        Message::Summary {
            missing: 1,
            unconfirmed: 0,
            blocked: false,
        }
    );
}

#[wasm_bindgen_test]
fn the_vault_line_shows_the_hint_never_the_secret_and_counts_down() {
    use okta_devices_helper::vault::{VaultLookup, VaultStatus};
    let (document, root) = fresh_root();
    let mut facts = facts("", json!([]));
    facts.location.host = "acme.workflows.okta.com".into();
    facts.location.path = "/app/connections".into();
    let now = js_sys::Date::now();
    let state = UiState {
        vault: Some(vec![VaultLookup::Ready(VaultStatus {
            org_domain: "acme.okta.com".into(),
            client_id: "0oa1wf2oauthdemo0x7q".into(),
            secret_hint: "\u{2022}\u{2022}\u{2022}\u{2022}WrBt".into(),
            captured_at_ms: now,
            expires_at_ms: now + 125_000.0,
        })]),
        ..UiState::default()
    };
    render(&document, &root, &decide(&facts, &state)).expect("renders");
    let vault = text(&root, "[data-vault='ready'] p");
    assert!(
        vault.contains("\u{2022}\u{2022}\u{2022}\u{2022}WrBt"),
        "{vault}"
    );
    assert!(
        vault.ends_with("2:05") || vault.ends_with("2:04"),
        "{vault}"
    );
    // No dialog is open: the fill waits, and says where to go.
    assert!(text(&root, ".fill .blocked").contains("New Connection"));
    assert_eq!(
        root.query_selector("[data-action='fill']")
            .expect("query")
            .and_then(|b| b.get_attribute("disabled")),
        Some(String::new())
    );
}

#[wasm_bindgen_test]
fn capture_and_domain_check_are_drawn_on_the_sign_on_tab() {
    let (document, root) = fresh_root();
    let mut facts = facts("#tab-signon", json!([]));
    facts.probes.push(
        serde_json::from_value(json!({"id": "user_menu_domain", "matched": 0, "items": [{"org_domain": "beta.okta.com"}]}))
            .expect("probe"),
    );
    render(&document, &root, &decide(&facts, &UiState::default())).expect("renders");
    assert!(root
        .query_selector("[data-action='capture']")
        .expect("query")
        .is_some());
    assert_eq!(
        text(&root, ".domain-check"),
        "The user menu shows beta.okta.com, not acme.okta.com. Check that you are in the right org."
    );
    assert_eq!(text(&root, "[data-vault='empty']"), "Nothing captured yet.");
}

// --- the codec -------------------------------------------------------------------------------

use okta_devices_helper::web::codec;
use serde::de::DeserializeOwned;

fn stringify(value: &JsValue) -> String {
    String::from(js_sys::JSON::stringify(value).expect("stringify"))
}

/// One message of every kind the extension sends, the agent-bound ones included.
fn every_sent_kind() -> Vec<Message> {
    use okta_devices_helper::credentials::Secret;
    use okta_devices_helper::message::{
        ElementRef, FieldRead, FillValue, Highlight, Layout, Mark, PagePlan, Probe, ProbeId, Read,
    };
    let target = ElementRef {
        probe: ProbeId::DialogInputs,
        index: 2,
        part: Some("input".into()),
    };
    let probes = vec![Probe {
        id: ProbeId::AppTabs,
        selectors: vec!["[data-se='scope-row']".into(), "tbody tr".into()],
        labels: vec!["Client ID".into()],
        fields: vec![
            FieldRead {
                name: "name".into(),
                selector: Some("td".into()),
                read: Read::Text,
            },
            FieldRead {
                name: "label".into(),
                selector: None,
                read: Read::Attr("aria-label".into()),
            },
        ],
    }];
    let mut messages = vec![
        Message::Watch {
            probes: probes.clone(),
            scan: None,
        },
        Message::Watch {
            probes: vec![],
            scan: Some(okta_devices_helper::page_rules::scope_scan()),
        },
        Message::Apply(PagePlan {
            seq: 9,
            layout: Layout::Panel {
                width: 340,
                height: 512,
            },
            highlights: vec![Highlight {
                target: target.clone(),
                mark: Mark::Missing,
            }],
        }),
        Message::Apply(PagePlan {
            seq: 10,
            layout: Layout::Hidden,
            highlights: vec![],
        }),
        Message::ScrollIntoView {
            target: target.clone(),
        },
        Message::Click {
            target: ElementRef {
                part: None,
                ..target.clone()
            },
        },
        Message::ReadOnce { request: 4, probes },
        Message::ApiFetch(okta_devices_helper::message::ApiFetch {
            request: 6,
            method: okta_devices_helper::message::HttpMethod::Post,
            path: "/api/v1/apps/0oa1/grants".into(),
            body: Some(
                r#"{"scopeId":"okta.devices.manage","issuer":"https://acme.okta.com"}"#.into(),
            ),
            xsrf_token_at: vec!["#_xsrfToken".into()],
            xsrf_token_shape: okta_devices_helper::page_rules::XSRF_TOKEN_SHAPE.into(),
        }),
        Message::ApiFetch(okta_devices_helper::message::ApiFetch {
            request: 7,
            method: okta_devices_helper::message::HttpMethod::Get,
            path: "/api/v1/users/me".into(),
            body: None,
            xsrf_token_at: vec![],
            xsrf_token_shape: String::new(),
        }),
        Message::Fill {
            request: 5,
            seq: 11,
            dialog: ElementRef {
                part: None,
                ..target.clone()
            },
            fields: vec![FillValue {
                target,
                value: Secret::new("s3cr3t-value"),
                password: true,
            }],
        },
    ];
    let from_json = [
        json!({"summary": {"missing": 1, "unconfirmed": 0, "blocked": true}}),
        json!({"vault_put": {"credentials": {"org_domain": "acme.okta.com", "client_id": "0oa1", "client_secret": "s3cr3t"}}}),
        json!({"vault_query": {"org_domain": null}}),
        json!({"vault_query": {"org_domain": "acme.okta.com"}}),
        json!({"vault_take": {"org_domain": "acme.okta.com", "confirmed_for": null}}),
        json!({"vault_take": {"org_domain": "acme.okta.com", "confirmed_for": "beta.okta.com"}}),
        json!({"vault_clear": {"org_domain": "acme.okta.com"}}),
        json!({"vault_state": {"lookups": [
            {"ready": {"org_domain": "acme.okta.com", "client_id": "0oa1", "secret_hint": "\u{2022}WrBt",
                       "captured_at_ms": 1795000000000.0, "expires_at_ms": 1795000600000.5}},
            {"empty": {"org_domain": "beta.okta.com"}}]}}),
        json!({"vault_credentials": {"credentials": {"org_domain": "acme.okta.com", "client_id": "0oa1", "client_secret": "s3cr3t"}}}),
        json!({"flow_note": {"event": {"admin_seen": {"org_domain": "acme.okta.com", "admin_host": "acme-admin.okta.com", "app_id": null}}}}),
        json!({"flow_note": {"event": {"scopes": {"org_domain": "acme.okta.com", "complete": true, "newly_granted": ["okta.devices.manage"]}}}}),
        json!({"flow_query": {}}),
        json!({"flow_state": {"orgs": [{"org_domain": "acme.okta.com", "admin_host": null, "app_id": "0oa1",
            "scopes_complete": false, "scopes_added": [], "filled_on": null}]}}),
        json!({"org_query": {}}),
        json!({"org_metadata": {"lookup": {"read": {"pipeline": "idx", "organization": "https://acme.okta.com"}}}}),
        json!({"org_metadata": {"lookup": {"read": {"pipeline": null, "organization": null}}}}),
        json!({"org_metadata": {"lookup": {"unreadable": {"why": "it answered 500"}}}}),
        json!({"confirm_ask": {"id": "4f1c", "what": "Fill from acme.okta.com"}}),
        json!({"confirm_poll": {"id": "4f1c"}}),
        json!({"confirm_state": {"answer": "waiting"}}),
        json!({"confirm_state": {"answer": "confirmed"}}),
        json!({"confirm_query": {}}),
        json!({"confirm_list": {"questions": [{"id": "4f1c", "what": "Fill from acme.okta.com",
            "host": "acme.workflows.okta.com", "tab_id": 7.0, "asked_at": 1795000000000.0, "answer": null}]}}),
        json!({"confirm_answer": {"id": "4f1c", "yes": true}}),
        json!({"channel_claim": {"token": "5c0a5b3e-8f1d-4b7a-9e2c-1d3f5a7b9c0e"}}),
        json!({"done": {}}),
        json!({"refused": {"reason": "not from this extension"}}),
    ];
    messages.extend(
        from_json
            .into_iter()
            .map(|value| serde_json::from_value::<Message>(value).expect("a valid example")),
    );
    messages
}

#[wasm_bindgen_test]
fn the_codec_writes_exactly_what_serde_wasm_bindgen_writes() {
    use serde::Serialize;
    for message in every_sent_kind() {
        let ours = codec::to_js(&message).expect("encodes");
        let reference = message
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .expect("reference encodes");
        assert_eq!(
            stringify(&ours),
            stringify(&reference),
            "{}",
            message.kind()
        );
    }
}

#[wasm_bindgen_test]
fn every_kind_the_extension_receives_reads_back_unchanged_and_no_other() {
    // Kinds only the page agent receives have no decoder here, by design.
    let agent_bound = [
        "watch",
        "apply",
        "scroll_into_view",
        "click",
        "read_once",
        "fill",
        "api_fetch",
    ];
    for message in every_sent_kind() {
        let decoded = decode_message(encode_message(&message).expect("encodes"));
        if agent_bound.contains(&message.kind()) {
            assert!(decoded.is_err(), "{} must not decode", message.kind());
        } else {
            assert_eq!(decoded.expect("decodes"), message, "{}", message.kind());
        }
    }
    // What the agent sends reads as serde_json reads it.
    for value in [
        json!({"read_result": {"request": 4, "probes": [{"id": "client_id_value", "matched": 1,
            "items": [{"value": "0oa1", "hidden": null}]}]}}),
        json!({"fill_result": {"request": 5, "current": true, "missing": [], "unconfirmed": [2, 3], "refused": null}}),
        json!({"frame_moved": {}}),
        json!({"channel_register": {"token": "5c0a5b3e-8f1d-4b7a-9e2c-1d3f5a7b9c0e"}}),
        json!({"fill_result": {"request": 5, "current": true, "missing": [], "unconfirmed": [],
            "refused": {"field": 3, "check": "not_password"}}}),
        json!({"fill_result": {"request": 5, "current": true, "missing": [], "unconfirmed": [],
            "refused": {"field": null, "check": "hidden"}}}),
        json!({"api_answer": {"request": 6, "status": 201, "problem": null, "body": {"scopeId": "x"},
            "headers": {"link": "<https://acme-admin.okta.com/api/v1/apps>; rel=\"next\"", "rate_limit_limit": "1200",
                        "rate_limit_remaining": "1199", "rate_limit_reset": "1795860000", "content_type": "application/json"}}}),
        json!({"api_answer": {"request": 7, "status": null, "problem": "no_token", "body": null,
            "headers": {}}}),
        json!({"api_answer": {"request": 8, "status": 502, "problem": "not_json", "body": null,
            "headers": {"link": null, "rate_limit_limit": null, "rate_limit_remaining": null, "rate_limit_reset": null, "content_type": "text/html"}}}),
    ] {
        let reference: Message = serde_json::from_value(value.clone()).expect("reference");
        assert_eq!(decode_message(js(value)).expect("decodes"), reference);
    }
}

fn reads_as_serde_json_does<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    let reference: T = serde_json::from_str(text).expect("the fixture parses");
    let ours: T = codec::from_js(js_sys::JSON::parse(text).expect("JSON")).expect("decodes");
    assert_eq!(ours, reference);
}

#[wasm_bindgen_test]
fn okta_api_bodies_read_as_serde_json_reads_them() {
    use okta_devices_helper::api::{
        ApiError, App, AppUser, ClientSecret, Grant, RoleAssignment, User,
    };
    reads_as_serde_json_does::<Vec<Grant>>(include_str!("fixtures/okta/grants-page-1.json"));
    reads_as_serde_json_does::<Vec<Grant>>(include_str!("fixtures/okta/grants-page-2.json"));
    reads_as_serde_json_does::<Vec<App>>(include_str!("fixtures/okta/apps-flow.json"));
    reads_as_serde_json_does::<AppUser>(include_str!("fixtures/okta/app-user.json"));
    reads_as_serde_json_does::<Vec<ClientSecret>>(include_str!(
        "fixtures/okta/client-secrets.json"
    ));
    reads_as_serde_json_does::<ApiError>(include_str!("fixtures/okta/error-403.json"));
    reads_as_serde_json_does::<ApiError>(include_str!("fixtures/okta/error-400-cause.json"));
    reads_as_serde_json_does::<ApiError>(include_str!("fixtures/okta/error-429.json"));
    reads_as_serde_json_does::<Vec<RoleAssignment>>(include_str!(
        "fixtures/okta/roles-super-admin.json"
    ));
    reads_as_serde_json_does::<Vec<RoleAssignment>>(include_str!(
        "fixtures/okta/roles-app-admin.json"
    ));
    reads_as_serde_json_does::<User>(include_str!("fixtures/okta/user-me.json"));
    reads_as_serde_json_does::<ApiError>(include_str!(
        "fixtures/okta/error-403-invalid-session.json"
    ));
    reads_as_serde_json_does::<ApiError>(include_str!("fixtures/okta/error-403-origin.json"));
    reads_as_serde_json_does::<okta_devices_helper::org::OrgMetadata>(include_str!(
        "fixtures/okta/okta-organization.json"
    ));
}

#[wasm_bindgen_test]
fn values_of_another_shape_are_rejected() {
    use okta_devices_helper::message::{ElementRef, Layout};
    let element_ref = |value: serde_json::Value| codec::from_js::<ElementRef>(js(value));
    assert!(element_ref(json!({"probe": "scope_scan", "index": 2, "part": null})).is_ok());
    for bad in [
        json!({"probe": "scope_scan", "index": 1.5, "part": null}),
        json!({"probe": "scope_scan", "index": -1, "part": null}),
        json!({"probe": "scope_scan", "index": "1", "part": null}),
        json!({"probe": "scope_scan", "index": 4_294_967_296_u64, "part": null}),
        json!({"probe": "scope_scan", "index": null, "part": null}),
        json!({"probe": "scope_scan", "part": null}),
        json!({"probe": "no_such_probe", "index": 0, "part": null}),
        json!({"probe": "scope_scan", "index": 0, "part": 7}),
        json!(["scope_scan", 0, null]),
        json!("scope_scan"),
        json!(null),
    ] {
        assert!(element_ref(bad.clone()).is_err(), "{bad}");
    }
    let layout = |value: serde_json::Value| codec::from_js::<Layout>(js(value));
    assert_eq!(layout(json!("hidden")), Ok(Layout::Hidden));
    assert_eq!(
        layout(json!({"launcher": {"width": 40, "height": 40}})),
        Ok(Layout::Launcher {
            width: 40,
            height: 40
        })
    );
    for bad in [
        json!("sideways"),
        json!({"launcher": {"width": 40, "height": 40}, "panel": {"width": 1, "height": 1}}),
        json!({}),
        json!({"launcher": "wide"}),
        json!(["launcher"]),
        json!(3),
    ] {
        assert!(layout(bad.clone()).is_err(), "{bad}");
    }
    // A number that a JavaScript number cannot hold exactly is no integer.
    let summary = js_sys::JSON::parse(
        r#"{"summary": {"missing": 9007199254740993, "unconfirmed": 0, "blocked": false}}"#,
    )
    .expect("JSON");
    assert!(decode_message(summary).is_err());
}

#[wasm_bindgen_test]
fn the_toolbar_confirms_exactly_the_guarded_buttons_that_act() {
    use okta_devices_helper::confirm::needs_toolbar;
    use okta_devices_helper::web::render::{
        ACTION_API_GRANT, ACTION_API_GRANT_ISSUER, GUARDED_ACTIONS,
    };
    // The buttons that only open the panel's own confirmation of a grant act on their click;
    // every other guarded button waits for the toolbar where visibility is not tracked.
    for action in GUARDED_ACTIONS {
        let opens_a_confirmation = action == ACTION_API_GRANT || action == ACTION_API_GRANT_ISSUER;
        assert_eq!(needs_toolbar(action), !opens_a_confirmation, "{action}");
    }
}
