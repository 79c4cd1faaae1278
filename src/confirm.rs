//! Confirmations in the toolbar popup, for browsers that cannot say whether the admin could see
//! the panel when they clicked.
//!
//! Chrome tells the panel, through Intersection Observer v2, whether each of its acting buttons
//! was whole and uncovered on screen (see [`crate::click_guard`]). Firefox has no such report,
//! and nothing else a frame can learn tells a transparent panel, or a decoy that lets clicks
//! through, from a visible one. So there a click on an acting button does not act: the overlay
//! asks the service worker to hold a question, the toolbar popup (an extension surface that no
//! page can cover, move or click) shows it with the page's address, and only the admin's answer
//! there lets the action go ahead. The overlay asks for the answer, and the service worker holds
//! that ask until the admin answers (or a while; then the overlay asks again).
//!
//! These are the rules of that exchange; the service worker keeps the questions in the session
//! store, one per tab, and each lapses after [`ANSWER_WINDOW_MS`].

use crate::vault::{SessionStore, StoreError};
use serde::{Deserialize, Serialize};

/// How long a question waits for the admin's answer in the toolbar.
pub const ANSWER_WINDOW_MS: f64 = 120_000.0;

/// Where the questions are kept in the session store.
const KEY: &str = "confirm/questions";

/// The acting buttons whose click needs the toolbar's confirmation where visibility cannot be
/// tracked: those that take or read the secret, type into a page, or grant. (The buttons that
/// only open the panel's own confirmation of a grant need none: the confirmation is asked.)
pub fn needs_toolbar(action: &str) -> bool {
    matches!(
        action,
        "capture"
            | "fill"
            | "fill-anyway"
            | "api-grant-confirm"
            | "read-secret"
            | "rotation-create"
            | "rotation-deactivate"
            | "rotation-reread"
    )
}

/// What the panel asks the toolbar, in the admin's words: the button's own label, which names
/// what it does ("Capture for Workflows", "Fill from acme.okta.com"), or for a grant the scopes.
pub fn question(action: &str, label: &str, grant_scopes: &[String]) -> String {
    let label = label.trim();
    match action {
        "api-grant-confirm" if !grant_scopes.is_empty() => format!(
            "Grant {} to the Okta Workflows OAuth app through Okta's API",
            grant_scopes.join(", ")
        ),
        "read-secret" => {
            "Read the app's Client secret through Okta's API (Okta logs the read)".to_owned()
        }
        "rotation-create" => {
            "Create a new client secret for the Okta Workflows OAuth app (Okta logs it)".to_owned()
        }
        _ => label.to_owned(),
    }
}

/// What the panel says while the toolbar holds its question.
pub fn waiting_text(question: &str) -> String {
    format!(
        "Confirm in the toolbar: click the Okta Devices helper button in the browser's toolbar, \
         then Confirm \u{201c}{question}\u{201d}. This browser cannot tell the panel whether the \
         page let you see it, and the toolbar is out of the page's reach."
    )
}

/// One question the toolbar holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Random, made by the overlay; the overlay asks for the answer by it.
    pub id: String,
    /// What the click would do ([`question`]).
    pub what: String,
    /// The host of the page the panel is on, as the browser reported the sender's tab.
    pub host: String,
    /// The tab the panel is in.
    pub tab_id: f64,
    /// When it was asked (ms since the epoch).
    pub asked_at: f64,
    /// The admin's answer, once given.
    pub answer: Option<bool>,
}

impl Question {
    fn lapsed(&self, now: f64) -> bool {
        now - self.asked_at > ANSWER_WINDOW_MS || now < self.asked_at
    }
}

/// Where a question stands, for the overlay that asked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Not answered yet.
    Waiting,
    /// The admin confirmed: the action may go ahead, once.
    Confirmed,
    /// The admin declined.
    Declined,
    /// Nobody answered in time, the tab asked something else since, or no such question exists.
    Lapsed,
}

/// The questions in the session store.
pub struct Questions<'a, S: SessionStore> {
    store: &'a S,
}

impl<'a, S: SessionStore> Questions<'a, S> {
    /// The questions kept in `store`.
    pub fn new(store: &'a S) -> Self {
        Self { store }
    }

    async fn load(&self, now: f64) -> Result<Vec<Question>, StoreError> {
        let mut questions: Vec<Question> = self.store.get(KEY).await?.unwrap_or_default();
        questions.retain(|question| !question.lapsed(now));
        Ok(questions)
    }

    async fn save(&self, questions: &[Question]) -> Result<(), StoreError> {
        if questions.is_empty() {
            self.store.remove(KEY).await
        } else {
            self.store.set(KEY, &questions).await
        }
    }

    /// Holds a new question for the toolbar. A tab has one question at a time: a new one replaces
    /// what the tab asked before, answered or not.
    pub async fn ask(&self, question: Question, now: f64) -> Result<(), StoreError> {
        let mut questions = self.load(now).await?;
        questions.retain(|held| held.tab_id != question.tab_id && held.id != question.id);
        questions.push(question);
        self.save(&questions).await
    }

    /// The questions waiting for an answer, oldest first.
    pub async fn waiting(&self, now: f64) -> Result<Vec<Question>, StoreError> {
        let mut questions = self.load(now).await?;
        questions.retain(|question| question.answer.is_none());
        Ok(questions)
    }

    /// The admin's answer in the toolbar. `false` when there is no such question waiting (it
    /// lapsed, was replaced, or was answered already): the toolbar then says so.
    pub async fn answer(&self, id: &str, yes: bool, now: f64) -> Result<bool, StoreError> {
        let mut questions = self.load(now).await?;
        let Some(question) = questions
            .iter_mut()
            .find(|question| question.id == id && question.answer.is_none())
        else {
            return Ok(false);
        };
        question.answer = Some(yes);
        self.save(&questions).await?;
        Ok(true)
    }

    /// Where the question `id` of tab `tab_id` stands. An answer is handed out once: the
    /// question is forgotten when the overlay learns it, so one confirmation lets one click act.
    /// Another tab's question is reported lapsed, never answered.
    pub async fn poll(&self, id: &str, tab_id: f64, now: f64) -> Result<Answer, StoreError> {
        let mut questions = self.load(now).await?;
        let Some(at) = questions
            .iter()
            .position(|question| question.id == id && question.tab_id == tab_id)
        else {
            self.save(&questions).await?;
            return Ok(Answer::Lapsed);
        };
        let answer = match questions[at].answer {
            None => return Ok(Answer::Waiting),
            Some(true) => Answer::Confirmed,
            Some(false) => Answer::Declined,
        };
        questions.remove(at);
        self.save(&questions).await?;
        Ok(answer)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::vault::tests::ready;
    use crate::vault::MemoryStore;

    fn asked(id: &str, tab_id: f64, at: f64) -> Question {
        Question {
            id: id.into(),
            what: "Fill from acme.okta.com".into(),
            host: "acme.workflows.okta.com".into(),
            tab_id,
            asked_at: at,
            answer: None,
        }
    }

    #[test]
    fn only_the_acting_buttons_need_the_toolbar() {
        for action in [
            "capture",
            "fill",
            "fill-anyway",
            "api-grant-confirm",
            "read-secret",
        ] {
            assert!(needs_toolbar(action), "{action}");
        }
        for action in [
            "api-grant",
            "api-grant-issuer",
            "api-grant-cancel",
            "toggle",
            "",
            "FILL",
        ] {
            assert!(!needs_toolbar(action), "{action}");
        }
    }

    #[test]
    fn the_question_says_what_the_click_would_do() {
        assert_eq!(
            question("fill", " Fill from acme.okta.com ", &[]),
            "Fill from acme.okta.com"
        );
        assert_eq!(
            question(
                "api-grant-confirm",
                "Grant",
                &["okta.devices.manage".into()]
            ),
            "Grant okta.devices.manage to the Okta Workflows OAuth app through Okta's API"
        );
        assert!(question("read-secret", "Read it through Okta's API", &[]).contains("Okta logs"));
        assert!(
            waiting_text("Capture for Workflows").contains("\u{201c}Capture for Workflows\u{201d}")
        );
    }

    #[test]
    fn a_confirmed_question_lets_one_click_act_once() {
        let store = MemoryStore::default();
        let questions = Questions::new(&store);
        ready(questions.ask(asked("q1", 7.0, 1_000.0), 1_000.0)).expect("asked");
        assert_eq!(
            ready(questions.poll("q1", 7.0, 1_500.0)),
            Ok(Answer::Waiting)
        );
        let waiting = ready(questions.waiting(2_000.0)).expect("listed");
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].host, "acme.workflows.okta.com");
        assert_eq!(ready(questions.answer("q1", true, 3_000.0)), Ok(true));
        assert!(
            ready(questions.waiting(3_000.0))
                .expect("listed")
                .is_empty(),
            "answered"
        );
        assert_eq!(
            ready(questions.answer("q1", true, 3_100.0)),
            Ok(false),
            "answered once"
        );
        assert_eq!(
            ready(questions.poll("q1", 7.0, 4_000.0)),
            Ok(Answer::Confirmed)
        );
        assert_eq!(
            ready(questions.poll("q1", 7.0, 4_100.0)),
            Ok(Answer::Lapsed),
            "handed out once"
        );
        assert!(
            store.dump().is_empty(),
            "nothing left behind: {:?}",
            store.dump()
        );
    }

    #[test]
    fn a_declined_question_is_reported_declined() {
        let store = MemoryStore::default();
        let questions = Questions::new(&store);
        ready(questions.ask(asked("q1", 7.0, 1_000.0), 1_000.0)).expect("asked");
        assert_eq!(ready(questions.answer("q1", false, 2_000.0)), Ok(true));
        assert_eq!(
            ready(questions.poll("q1", 7.0, 2_500.0)),
            Ok(Answer::Declined)
        );
    }

    #[test]
    fn questions_lapse_after_the_window_and_cannot_be_answered_then() {
        let store = MemoryStore::default();
        let questions = Questions::new(&store);
        ready(questions.ask(asked("q1", 7.0, 1_000.0), 1_000.0)).expect("asked");
        let late = 1_000.0 + ANSWER_WINDOW_MS + 1.0;
        assert!(ready(questions.waiting(late)).expect("listed").is_empty());
        assert_eq!(ready(questions.answer("q1", true, late)), Ok(false));
        assert_eq!(ready(questions.poll("q1", 7.0, late)), Ok(Answer::Lapsed));
        // A clock that went backwards does not keep a question alive either.
        ready(questions.ask(asked("q2", 7.0, 5_000.0), 5_000.0)).expect("asked");
        assert_eq!(ready(questions.answer("q2", true, 4_000.0)), Ok(false));
    }

    #[test]
    fn a_tab_holds_one_question_and_cannot_learn_another_tabs_answer() {
        let store = MemoryStore::default();
        let questions = Questions::new(&store);
        ready(questions.ask(asked("q1", 7.0, 1_000.0), 1_000.0)).expect("asked");
        ready(questions.ask(asked("q2", 7.0, 1_100.0), 1_100.0)).expect("asked");
        ready(questions.ask(asked("q3", 8.0, 1_200.0), 1_200.0)).expect("asked");
        let ids: Vec<String> = ready(questions.waiting(1_300.0))
            .expect("listed")
            .into_iter()
            .map(|q| q.id)
            .collect();
        assert_eq!(
            ids,
            ["q2", "q3"],
            "the tab's new question replaced its old one"
        );
        assert_eq!(
            ready(questions.answer("q1", true, 1_400.0)),
            Ok(false),
            "replaced"
        );
        assert_eq!(ready(questions.answer("q3", true, 1_400.0)), Ok(true));
        assert_eq!(
            ready(questions.poll("q3", 7.0, 1_500.0)),
            Ok(Answer::Lapsed),
            "not tab 7's"
        );
        assert_eq!(
            ready(questions.poll("q3", 8.0, 1_500.0)),
            Ok(Answer::Confirmed)
        );
    }
}
