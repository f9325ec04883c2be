"""Stripe's error bodies, as the stand-in answers them."""

from localstripe.errors import UserError


def error(message: str, *, param=None, code=None, status=400, **extra) -> UserError:
    """A Stripe error body: {"error": {"type", "message", "code", "param", …}}."""
    contents = dict(extra)
    if code:
        contents["code"] = code
    if param:
        contents["param"] = param
    return UserError(status, message, contents)


def unexpected_state(intent, action: str, allowed) -> UserError:
    done = {"authorize": "authorized", "cancel": "canceled", "confirm": "confirmed"}
    return error(
        f"You cannot {action} this PaymentIntent because it has a status of "
        f"{intent.status}. Only a PaymentIntent with one of the following "
        f"statuses may be {done[action]}: {', '.join(allowed)}.",
        code="payment_intent_unexpected_state",
    )


def refuse_unknown(kwargs) -> None:
    """Stripe's answer to a parameter it does not know."""
    if kwargs:
        name = sorted(kwargs)[0]
        raise error(
            f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
        )
