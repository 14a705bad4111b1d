from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("billing/_banner.html", takes_context=True)
def billing_banner(context) -> dict:
    """A past-due (or trial over) banner: on a school host for its staff, and in the trust
    console for the trust's billing staff. A read-only school already has the read-only banner."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {}
    from .. import selectors

    school = getattr(request, "school", None)
    if school is not None:
        if getattr(request, "read_only_reason", None):
            return {}
        access = selectors.billing_access_for_school(school)
        return {"school_message": access.message} if access.warning else {}
    rows = selectors.schools_needing_attention(user)
    return {"trust_rows": rows} if rows else {}


@register.filter
def pence(amount: int | None) -> str:
    """2950000 -> "£29,500.00"."""
    amount = int(amount or 0)
    return f"£{amount // 100:,}.{amount % 100:02d}"
