// What each receiver type sends (notify/channels.h), without a network: the vendors'
// documented shapes, the language, and what a hostile alert cannot do to a message
// (links, mentions, lines of racine's own, a JSON field of a templated request).
#include <gtest/gtest.h>

#include "notify/channels.h"

namespace racine::notify {
namespace {

using nlohmann::json;

json delivery(const std::string& kind = "firing",
              json labels = {{"alertname", "KubePodCrashLooping"}},
              json annotations = {{"summary", "Pod shop/web restarts"}}) {
  return {{"racine", 1},
          {"kind", kind},
          {"delivery", "dlv-1"},
          {"event", "evt-1"},
          {"tenant", "acme"},
          {"contract", "main"},
          {"party", "Client"},
          {"role", kind == "escalation" ? "A"
                   : kind == "informed" ? "I"
                                        : "R"},
          {"activity",
           {{"id", "gerer-les-alertes-liees-aux-applications"},
            {"title", "Gérer les alertes liées aux applications"},
            {"section", "Surveillance et performance"}}},
          {"gray_zone", false},
          {"alert",
           {{"fingerprint", "a1"},
            {"status", kind == "resolved" ? "resolved" : "firing"},
            {"labels", std::move(labels)},
            {"annotations", std::move(annotations)},
            {"startsAt", "2026-11-30T10:00:00Z"},
            {"endsAt", "0001-01-01T00:00:00Z"},
            {"generatorURL", "http://prometheus.example/graph"}}},
          {"ack_url", "https://racine.example/api/v1/tenants/acme/events/evt-1/ack"}};
}

const Context k_en{"en", "https://racine.example/#/tenants/acme/events?event=evt-1"};
const Context k_fr{"fr", "https://racine.example/#/tenants/acme/events?event=evt-1"};

TEST(Channels, SlackIsTextAndBlocks) {
  const auto m = json::parse(slack_message(delivery(), k_en));
  EXPECT_EQ(m["text"],
            "Firing: KubePodCrashLooping: Gérer les alertes liées aux applications (acme/main)");
  ASSERT_EQ(m["blocks"].size(), 4U);
  EXPECT_EQ(m["blocks"][0]["type"], "header");
  EXPECT_EQ(m["blocks"][0]["text"]["type"], "plain_text");
  EXPECT_EQ(m["blocks"][1]["fields"][0]["text"], "*Party*\nClient (Responsible)");
  EXPECT_EQ(m["blocks"][2]["text"]["text"], "Pod shop/web restarts");
  const auto& buttons = m["blocks"][3]["elements"];
  ASSERT_EQ(buttons.size(), 2U);
  EXPECT_EQ(buttons[0]["text"]["text"], "Open in racine");
  EXPECT_EQ(buttons[0]["url"], k_en.event_url);
  EXPECT_EQ(buttons[1]["text"]["text"], "Source");
}

TEST(Channels, AnAlertCannotLinkOrMention) {
  const json hostile = {{"summary", "<!channel> see <https://evil.example|your bank> & @all"},
                        {"runbook_url", "javascript:alert(1)"}};
  const auto d =
      delivery("firing", {{"alertname", "X\nAcknowledge: https://evil.example"}}, hostile);
  const auto slack = json::parse(slack_message(d, k_en));
  EXPECT_EQ(slack["blocks"][2]["text"]["text"],
            "&lt;!channel&gt; see &lt;https://evil.example|your bank&gt; &amp; @all");
  EXPECT_EQ(slack["text"].get<std::string>().find('\n'), std::string::npos);
  // A runbook that is not an http(s) URL is not a button.
  for (const auto& b : slack["blocks"][3]["elements"]) EXPECT_NE(b["text"]["text"], "Runbook");
  const auto mm = json::parse(mattermost_message(d, k_en))["text"].get<std::string>();
  EXPECT_NE(mm.find("\\<\\!channel\\> see \\<https://evil.example\\|your bank\\> & @\u200ball"),
            std::string::npos)
      << mm;
  EXPECT_EQ(mm.find("[Runbook]"), std::string::npos);
  // A link that would close Markdown's parenthesis and open one of its own is not made.
  auto sneaky = d;
  sneaky["alert"]["generatorURL"] = "https://x.example/)[Acknowledge](https://sneaky.example";
  const auto mm2 = json::parse(mattermost_message(sneaky, k_en))["text"].get<std::string>();
  EXPECT_EQ(mm2.find("sneaky.example"), std::string::npos) << mm2;
  const auto teams = json::parse(teams_message(d, k_en));
  const auto& card = teams["attachments"][0]["content"];
  EXPECT_EQ(card["body"][2]["text"],
            "\\<\\!channel\\> see \\<https://evil.example\\|your bank\\> & @\u200ball");
}

TEST(Channels, MattermostInFrench) {
  const auto text = json::parse(mattermost_message(delivery(), k_fr))["text"].get<std::string>();
  EXPECT_EQ(
      text.substr(0, text.find('\n')),
      "#### Déclenchée\u202f: KubePodCrashLooping\u202f: Gérer les alertes liées aux applications "
      "\\(acme/main\\)");
  EXPECT_NE(text.find("- **Partie**\u202f: Client \\(Responsable\\)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[Ouvrir dans racine](" + k_fr.event_url + ")"), std::string::npos);
}

TEST(Channels, TeamsIsAnAdaptiveCardMessage) {
  const auto m = json::parse(teams_message(delivery("resolved"), k_en));
  EXPECT_EQ(m["type"], "message");
  ASSERT_EQ(m["attachments"].size(), 1U);
  EXPECT_EQ(m["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
  const auto& card = m["attachments"][0]["content"];
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.4");
  EXPECT_EQ(card["body"][0]["color"], "Good");
  EXPECT_EQ(card["body"][1]["type"], "FactSet");
  EXPECT_EQ(card["actions"][0]["type"], "Action.OpenUrl");
}

TEST(Channels, PagerDutyTriggersAndResolvesOneIncidentPerEventAndParty) {
  const auto t = json::parse(pagerduty_event(
      delivery("firing", {{"alertname", "A"}, {"severity", "Warning"}}), "KEY", k_en));
  EXPECT_EQ(t["routing_key"], "KEY");
  EXPECT_EQ(t["event_action"], "trigger");
  EXPECT_EQ(t["dedup_key"], "racine/acme/evt-1/Client");
  EXPECT_EQ(t["payload"]["severity"], "warning");
  EXPECT_EQ(t["payload"]["source"], "acme/main");
  EXPECT_EQ(t["payload"]["timestamp"], "2026-11-30T10:00:00Z");
  EXPECT_EQ(t["payload"]["component"], "gerer-les-alertes-liees-aux-applications");
  EXPECT_EQ(t["payload"]["class"], "A");
  EXPECT_EQ(t["client"], "racine");
  EXPECT_EQ(t["links"][0]["href"], k_en.event_url);
  const auto r = json::parse(pagerduty_event(delivery("resolved"), "KEY", k_en));
  EXPECT_EQ(r, json({{"routing_key", "KEY"},
                     {"event_action", "resolve"},
                     {"dedup_key", "racine/acme/evt-1/Client"}}));
  // Severities: the alert's own, an unknown one as error, an informed party's as info.
  EXPECT_EQ(json::parse(pagerduty_event(delivery("firing", {{"severity", "critical"}}), "K",
                                        k_en))["payload"]["severity"],
            "critical");
  EXPECT_EQ(json::parse(pagerduty_event(delivery("firing", {{"severity", "p3"}}), "K",
                                        k_en))["payload"]["severity"],
            "error");
  EXPECT_EQ(json::parse(pagerduty_event(delivery("informed", {{"severity", "critical"}}), "K",
                                        k_en))["payload"]["severity"],
            "info");
}

TEST(Channels, TemplatesEscapeValuesForJson) {
  Template t;
  t.url = "https://desk.example/api/tickets";
  t.body =
      R"({"subject": "{{title}}", "queue": "{{party}}", "text": "{{alert.annotations.summary}}",)"
      R"( "firing": {{#is_firing}}true{{/is_firing}}{{^is_firing}}false{{/is_firing}}})";
  t.headers = {{"Authorization", "Bearer {{tenant}}-token"},
               {"X-Alert", "{{alert.labels.alertname}}"}};
  ASSERT_EQ(check_template(t), std::nullopt);
  const auto d = delivery("firing", {{"alertname", "A\r\nX-Evil: 1"}},
                          {{"summary", R"(", "priority": "1", "x": ")"}});
  std::string error;
  bool waiting = false;
  const auto r = render_template(t, d, k_en, json::object(), error, waiting);
  ASSERT_TRUE(r) << error;
  const auto body = json::parse(r->body);  // still one JSON document
  EXPECT_EQ(body["text"], R"(", "priority": "1", "x": ")");
  EXPECT_FALSE(body.contains("priority"));
  EXPECT_EQ(body["queue"], "Client");
  EXPECT_EQ(body["firing"], true);
  EXPECT_EQ(r->headers, (std::vector<std::string>{"Authorization: Bearer acme-token",
                                                  "X-Alert: A  X-Evil: 1"}));
}

TEST(Channels, TemplatesThatCouldEscapeAreRefusedOnSave) {
  const auto why = [](Template t) { return check_template(t).value_or("accepted"); };
  Template t;
  t.url = "https://desk.example/";
  t.body = "{{{alert.labels.alertname}}}";
  EXPECT_EQ(why(t),
            "body: {{{...}}}, {{&...}} and {{=...=}} are not allowed (every value is escaped)");
  t.body = "{{ & title}}";
  EXPECT_NE(why(t), "accepted");
  t.body = "{{=<% %>=}}<%{title}%>";
  EXPECT_NE(why(t), "accepted");
  t.body = "{{#open}}";
  EXPECT_NE(why(t).find("body: "), std::string::npos);
  t.body = "{}";
  t.method = "GET";
  EXPECT_EQ(why(t), "method is POST, PUT or PATCH");
  t.method = "PUT";
  t.headers = {{"Host", "evil.example"}};
  EXPECT_EQ(why(t), "header 'Host' is set by racine");
  t.headers = {{"Bad Name", "x"}};
  EXPECT_EQ(why(t), "header 'Bad Name': not a header name");
  t.headers = {};
  t.body = std::string(16 * 1024 + 1, 'x');
  EXPECT_EQ(why(t), "body: a template of at most 16 KiB");
}

TEST(Channels, ATemplateRendersToAtMostOneMebibyte) {
  Template t;
  t.url = "https://desk.example/";
  std::string many;
  for (int i = 0; i < 400; ++i) many += "{{alert.annotations.summary}}";
  t.body = many;
  ASSERT_EQ(check_template(t), std::nullopt);
  std::string error;
  bool waiting = false;
  const auto r = render_template(t, delivery("firing", {}, {{"summary", std::string(4000, 'x')}}),
                                 k_en, json::object(), error, waiting);
  EXPECT_FALSE(r);
  EXPECT_EQ(error, "the template renders to more than 1 MiB");
}

// An Informed party hears of an alert on PagerDuty's timeline (a change event), never as an
// incident that would stay open and page.
TEST(Channels, AnInformedPartyGetsAPagerDutyChangeEvent) {
  EXPECT_EQ(pagerduty_change_url("https://events.pagerduty.com/v2/enqueue"),
            "https://events.pagerduty.com/v2/change/enqueue");
  EXPECT_EQ(pagerduty_change_url("https://proxy.example/pd/v2/enqueue"),
            "https://proxy.example/pd/v2/change/enqueue");
  EXPECT_EQ(pagerduty_change_url("https://proxy.example/pd"), "https://proxy.example/pd");
  const auto e = json::parse(pagerduty_change_event(delivery("informed"), "K", k_en));
  EXPECT_EQ(e["routing_key"], "K");
  EXPECT_FALSE(e.contains("event_action"));
  EXPECT_FALSE(e.contains("dedup_key"));
  EXPECT_EQ(e["payload"]["summary"],
            "For information: KubePodCrashLooping: Gérer les alertes liées aux applications "
            "(acme/main)");
  EXPECT_EQ(e["payload"]["source"], "acme/main");
  EXPECT_EQ(e["payload"]["timestamp"], "2026-11-30T10:00:00Z");
  EXPECT_EQ(e["payload"]["custom_details"]["role"], "I");
  EXPECT_FALSE(e["payload"].contains("severity"));
}

// A service desk's ticket: created by the first request, the answer's id captured, then
// commented by a repeat and resolved by the resolved delivery (Request Tracker's REST 2).
Template ticket_template() {
  Template t;
  t.url = "https://rt.example/REST/2.0/ticket";
  t.headers = {{"Authorization", "token 1-2-abc"}};
  t.body = R"({"Queue": "Client", "Subject": "{{title}}"})";
  t.capture = {{"ticket", "/id"}};
  Step comment;
  comment.url = "https://rt.example/REST/2.0/ticket/{{ref.ticket}}/comment";
  comment.body = R"j({"Content": "Still firing ({{repeat}})", "ContentType": "text/plain"})j";
  Step resolved;
  resolved.url = "https://rt.example/REST/2.0/ticket/{{ref.ticket}}";
  resolved.method = "PUT";
  resolved.body = R"({"Status": "resolved"})";
  t.steps = {{"repeat", comment}, {"resolved", resolved}};
  return t;
}

TEST(Channels, ATicketIsCreatedThenCommentedThenResolved) {
  const Template t = ticket_template();
  ASSERT_EQ(check_template(t), std::nullopt);
  std::string error;
  bool waiting = false;
  auto r = render_template(t, delivery("firing"), k_en, json::object(), error, waiting);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->step, "");
  EXPECT_EQ(r->url, "https://rt.example/REST/2.0/ticket");
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(capture_refs(t, R"({"id": 42, "type": "ticket", "_url": "x"})"), R"({"ticket":"42"})");
  EXPECT_EQ(capture_refs(t, R"({"id": "7/../../admin"})"), R"({"ticket":"7/../../admin"})");
  EXPECT_EQ(capture_refs(t, R"({"id": "a b"})"), "");  // not printable ASCII without spaces
  EXPECT_EQ(capture_refs(t, R"({"id": {"x": 1}})"), "");
  EXPECT_EQ(capture_refs(t, "not json"), "");
  // A repeat, before the first answer was captured: it waits, it does not open a ticket.
  auto repeat = delivery("firing");
  repeat["repeat"] = 2;
  r = render_template(t, repeat, k_en, json::object(), error, waiting);
  EXPECT_FALSE(r);
  EXPECT_TRUE(waiting);
  EXPECT_EQ(error, "waiting for 'ticket' from the answer to the first request");
  // Then a comment on the ticket, the value percent-encoded into the URL.
  r = render_template(t, repeat, k_en, {{"ticket", "42"}}, error, waiting);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->step, "repeat");
  EXPECT_EQ(r->url, "https://rt.example/REST/2.0/ticket/42/comment");
  EXPECT_EQ(json::parse(r->body)["Content"], "Still firing (2)");
  r = render_template(t, repeat, k_en, {{"ticket", "7/../../admin"}}, error, waiting);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->url, "https://rt.example/REST/2.0/ticket/7%2F%2E%2E%2F%2E%2E%2Fadmin/comment");
  // The resolved delivery resolves it, with the first request's headers.
  r = render_template(t, delivery("resolved"), k_en, {{"ticket", "42"}}, error, waiting);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->step, "resolved");
  EXPECT_EQ(r->method, "PUT");
  EXPECT_EQ(r->url, "https://rt.example/REST/2.0/ticket/42");
  EXPECT_EQ(json::parse(r->body), json({{"Status", "resolved"}}));
  EXPECT_EQ(r->headers, (std::vector<std::string>{"Authorization: token 1-2-abc"}));
  // An escalation (another party's first page) opens its own ticket.
  r = render_template(t, delivery("escalation"), k_en, json::object(), error, waiting);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->step, "");
  // An escalation to a party that already has the ticket (Responsible and Accountable):
  // a comment on it, not a second ticket.
  r = render_template(t, delivery("escalation"), k_en, {{"ticket", "42"}}, error, waiting);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->step, "repeat");
  EXPECT_EQ(r->url, "https://rt.example/REST/2.0/ticket/42/comment");
}

TEST(Channels, AStepNeverPicksItsHostAndUsesOnlyCapturedValues) {
  const auto why = [](const Template& t) { return check_template(t).value_or("accepted"); };
  Template t = ticket_template();
  t.steps["repeat"].url = "https://evil.example/REST/2.0/ticket/{{ref.ticket}}";
  EXPECT_EQ(why(t), "repeat: url is on the receiver's own origin (https://rt.example/...)");
  t.steps["repeat"].url = "https://rt.example.evil.example/x";
  EXPECT_EQ(why(t), "repeat: url is on the receiver's own origin (https://rt.example/...)");
  t.steps["repeat"].url = "https://{{ref.ticket}}/";
  EXPECT_EQ(why(t), "repeat: url is on the receiver's own origin (https://rt.example/...)");
  t.steps["repeat"].url = "https://rt.example/{{alert.labels.path}}";
  EXPECT_EQ(why(t), "repeat: url: only {{ref.NAME}} values may be written into it");
  t.steps["repeat"].url = "https://rt.example/x{{{ref.ticket}}}";
  EXPECT_EQ(
      why(t),
      "repeat: url: {{{...}}}, {{&...}} and {{=...=}} are not allowed (every value is escaped)");
  t.steps["repeat"].url = "https://rt.example/x{ {{ref.ticket}} }";
  EXPECT_EQ(why(t), "repeat: url: only {{ref.NAME}} values may be written into it");
  t.steps["repeat"].url = "https://rt.example/{{ref.other}}";
  EXPECT_EQ(why(t), R"(repeat: 'ref.other' is not captured ("capture": {"other": "/id"}))");
  t = ticket_template();
  t.body = R"({"Parent": "{{ref.ticket}}"})";
  EXPECT_EQ(why(t), "'ref.ticket' is known only after the first answer: use it in a step");
  t = ticket_template();
  t.capture = {{"ticket", "id"}};
  EXPECT_EQ(why(t), R"(capture: 'ticket' is a JSON pointer into the answer ("/id"))");
  t.capture = {{"a b", "/id"}};
  EXPECT_EQ(why(t), "capture: 'a b' is not a name (letters, digits, _)");
  t = ticket_template();
  t.steps["later"] = t.steps["repeat"];
  EXPECT_EQ(why(t), "steps are \"repeat\" and \"resolved\", not 'later'");
  t = ticket_template();
  t.steps["resolved"].method = "DELETE";
  EXPECT_EQ(why(t), "resolved: method is POST, PUT or PATCH");
}

}  // namespace
}  // namespace racine::notify
