"""Password policy after NIST SP 800-63B-4 (a password as the only authentication factor).

* **Length**: at least :data:`MIN_LENGTH` (15) characters, at most :data:`MAX_LENGTH`;
  every character counts, spaces and any Unicode included. No composition rules
  (no "one digit, one capital"): the guidance says they do not help.
* **Not guessable**: refused when zxcvbn (the estimator Dropbox published, with its
  frequency lists of 30,000 common and breached passwords, dictionary words and
  names) rates it below :data:`MIN_SCORE`: common or breached passwords, dictionary
  words, keyboard patterns, sequences and repeats.
* **Not personal**: refused when it contains the user's e-mail address, its local part,
  or a word of their name (of three letters or more).

Each refusal is ``INVALID_INPUT`` with ``extensions.field = "password"`` and
``extensions.rule`` (``length``, ``common`` or ``personal``), and a message saying the
rule. Checked wherever a password is chosen: sign-up, an ADMIN's ``createUser``,
activation, password change and reset.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from graph_engine.errors import InvalidInput
from graph_engine.services import validate

MIN_LENGTH = 15
MAX_LENGTH = 1024
# zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses or more).
MIN_SCORE = 3
# zxcvbn's estimate takes time that grows with length; the tail adds nothing to it.
_ESTIMATED = 100


def _refuse(rule: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": "password", "rule": rule})


def check(password: str, *, name: str | None = None, email: str | None = None) -> str:
    """Return ``password`` when the policy accepts it; raise INVALID_INPUT naming the rule.

    Examples
    --------
    >>> check("tulips and bicycles in the rain", name="Anna de Vries")
    'tulips and bicycles in the rain'
    >>> check("password12345678")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph_engine.errors.InvalidInput: this password is easy to guess: ...
    """
    validate.clean(password, "password")
    if len(password) < MIN_LENGTH:
        raise _refuse(
            "length",
            f"a password is at least {MIN_LENGTH} characters long (it is the only thing that"
            " proves who you are); a few words with spaces make a good one",
        )
    if len(password) > MAX_LENGTH:
        raise _refuse("length", f"a password is at most {MAX_LENGTH} characters long")
    lowered = password.lower()
    personal = _personal_words(name, email)
    if any(word in lowered for word in personal):
        raise _refuse("personal", "a password may not contain your name or e-mail address")
    estimate = zxcvbn(password[:_ESTIMATED], user_inputs=sorted(personal))
    if estimate["score"] < MIN_SCORE:
        raise _refuse(
            "common",
            "this password is easy to guess: it is a common or breached password, or"
            " made of dictionary words, names, keyboard patterns, sequences or repeats",
        )
    return password


def _personal_words(name: str | None, email: str | None) -> set[str]:
    words: set[str] = set()
    if email:
        address = email.strip().lower()
        words.add(address)
        local = address.split("@", 1)[0]
        if len(local) >= 3:  # noqa: PLR2004 - shorter parts occur in any long password
            words.add(local)
    if name:
        words.update(w for w in re.split(r"[\W_]+", name.lower()) if len(w) >= 3)  # noqa: PLR2004
    return words
