"""Serve the admin API's alert rules: list, create, read, change, delete, test, deliveries."""

from flask.views import MethodView
from flask_smorest import abort

from ..alerts.deliveries import list_deliveries, start_test_delivery
from ..alerts.rules import (
    create_rule,
    delete_rule,
    find_rule,
    record_test,
    site_rules,
    update_rule,
)
from ..audit.record import token_actor
from ..jobs.queue import QueueUnavailable
from ..schemas.alert_deliveries import (
    AlertDeliveryPageSchema,
    AlertDeliveryQuerySchema,
    AlertDeliverySchema,
)
from ..schemas.alerts import (
    AlertRuleInSchema,
    AlertRuleListSchema,
    AlertRuleSchema,
    AlertRuleUpdateSchema,
    check_merged_rule,
)
from .access import SITE, AdminBlueprint

blp = AdminBlueprint(
    "admin_alerts",
    __name__,
    url_prefix="/api/v1/admin",
    description="Alert rules and their delivery log (bearer token).",
)

#: Rule ids are INTEGER (32 bits): a larger one reaches no view, as no rule has it.
#: Seconds a client waits before sending a test again when the queue did not take it.
QUEUE_RETRY_AFTER = 30
RULE = f"{SITE}/alerts/<int(max={2**31 - 1}):rule_id>"


def rule_or_404(site, rule_id: int):
    """Return the site's rule `rule_id`, or answer 404."""
    rule = find_rule(site, rule_id)
    if rule is None:
        abort(404, message="No such alert rule.")
    return rule


@blp.route(f"{SITE}/alerts", methods=["GET"])
@blp.access()
@blp.response(200, AlertRuleListSchema)
def read_rules(site):
    """List the site's alert rules (targets and secrets masked)."""
    return {"items": site_rules(site)}


@blp.route(f"{SITE}/alerts", methods=["POST"])
@blp.access(write=True)
@blp.arguments(AlertRuleInSchema)
@blp.response(201, AlertRuleSchema)
def add_rule(data, site, token):
    """Create an alert rule; the answer shows its target and webhook secret whole, once."""
    return create_rule(site, actor=token_actor(token), **data)


# One rule for every method: with one per method, an id past 2**31 - 1 made werkzeug answer
# PATCH and DELETE with 405 (another method's rule "matched") instead of 404.
@blp.route(RULE)
class OneRule(MethodView):
    """Show, change or delete one alert rule."""

    @blp.access()
    @blp.response(200, AlertRuleSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
    def get(self, site, rule_id):
        """Show one alert rule (target and secret masked)."""
        return rule_or_404(site, rule_id)

    @blp.access(write=True)
    @blp.arguments(AlertRuleUpdateSchema, required=False)
    @blp.response(200, AlertRuleSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
    def patch(self, changes, site, token, rule_id):
        """Change some of a rule's fields (not `on`); target and secret stay unless given."""
        rule = rule_or_404(site, rule_id)
        check_merged_rule(rule, changes)
        return update_rule(rule, changes, actor=token_actor(token))

    @blp.access(write=True)
    @blp.response(204)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
    def delete(self, site, token, rule_id):
        """Delete an alert rule and its delivery log."""
        delete_rule(rule_or_404(site, rule_id), actor=token_actor(token))


@blp.route(f"{RULE}/test", methods=["POST"])
@blp.access(write=True)
@blp.response(202, AlertDeliverySchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
@blp.alt_response(503, response="DEFAULT_ERROR", description="The alert queue is unavailable")
def test_rule(site, token, rule_id):
    """Queue a `test` alert to the rule's target; its attempts appear in the delivery log."""
    rule = rule_or_404(site, rule_id)
    try:
        delivery = start_test_delivery(rule, site.key)
    except QueueUnavailable:
        abort(
            503,
            message="The alert queue is unavailable; nothing was queued, try again shortly.",
            headers={"Retry-After": str(QUEUE_RETRY_AFTER)},
        )
    record_test(rule, actor=token_actor(token))
    return delivery


@blp.route(f"{RULE}/deliveries", methods=["GET"])
@blp.access()
@blp.arguments(AlertDeliveryQuerySchema, location="query")
@blp.response(200, AlertDeliveryPageSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
def read_deliveries(query, site, rule_id):
    """List every attempt to deliver the rule's alerts, newest first, a page at a time."""
    return list_deliveries(rule_or_404(site, rule_id), query)
