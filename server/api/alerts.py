"""Serve the admin API's alert rules: list, create, read, change, delete, test, deliveries."""

from flask_smorest import abort

from ..alerts.deliveries import list_deliveries, start_test_delivery
from ..alerts.rules import create_rule, delete_rule, find_rule, site_rules, update_rule
from ..schemas.alerts import (
    AlertDeliveryPageSchema,
    AlertDeliveryQuerySchema,
    AlertDeliverySchema,
    AlertRuleInSchema,
    AlertRuleListSchema,
    AlertRuleSchema,
    AlertRuleUpdateSchema,
)
from .access import SITE, AdminBlueprint

blp = AdminBlueprint(
    "admin_alerts",
    __name__,
    url_prefix="/api/v1/admin",
    description="Alert rules and their delivery log (bearer token).",
)

#: Rule ids are INTEGER (32 bits): a larger one reaches no view, as no rule has it.
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
def add_rule(data, site):
    """Create an alert rule; the answer shows its target and webhook secret whole, once."""
    return create_rule(site, **data)


@blp.route(RULE, methods=["GET"])
@blp.access()
@blp.response(200, AlertRuleSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
def read_rule(site, rule_id):
    """Show one alert rule (target and secret masked)."""
    return rule_or_404(site, rule_id)


@blp.route(RULE, methods=["PATCH"])
@blp.access(write=True)
@blp.arguments(AlertRuleUpdateSchema, required=False)
@blp.response(200, AlertRuleSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
def change_rule(changes, site, rule_id):
    """Change some of a rule's fields; target and secret stay unless given."""
    return update_rule(rule_or_404(site, rule_id), changes)


@blp.route(RULE, methods=["DELETE"])
@blp.access(write=True)
@blp.response(204)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
def remove_rule(site, rule_id):
    """Delete an alert rule and its delivery log."""
    delete_rule(rule_or_404(site, rule_id))


@blp.route(f"{RULE}/test", methods=["POST"])
@blp.access(write=True)
@blp.response(202, AlertDeliverySchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
def test_rule(site, rule_id):
    """Queue a `test` alert to the rule's target; its attempts appear in the delivery log."""
    return start_test_delivery(rule_or_404(site, rule_id), site.key)


@blp.route(f"{RULE}/deliveries", methods=["GET"])
@blp.access()
@blp.arguments(AlertDeliveryQuerySchema, location="query")
@blp.response(200, AlertDeliveryPageSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such alert rule")
def read_deliveries(query, site, rule_id):
    """List every attempt to deliver the rule's alerts, newest first, a page at a time."""
    return list_deliveries(rule_or_404(site, rule_id), query)
