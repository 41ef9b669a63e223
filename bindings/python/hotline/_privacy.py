"""Personal data out of the messages of TypeErrors (docs/privacy.md).

pybind11 answers a call whose arguments do not convert (a phone number read by pandas
as an int, a misspelt keyword) with a TypeError that lists the repr of every argument
given: "Invoked with: ...; kwargs: ..., caller_phone='13812341234'".  The calls that
take callers' and residents' data are wrapped here so that their TypeErrors name the
arguments' types instead of their values, and every digit run of 7 or more left in the
message is masked (mask_text).  The wrapper raises outside the handler, so the
original message is not kept as the new error's __context__ either.

    store.create(..., caller_phone=13812341234)
    # TypeError: create(): incompatible function arguments. ...
    # Invoked with: Store; kwargs: request_type=str, ..., caller_phone=int

Errors of the library itself (hotline.Error and its subclasses) mask what they quote
where they are raised (C++); they pass through unchanged.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from . import _core

_INVOKED = "\nInvoked with:"

# Classes whose every public method (and constructor, and writable attribute) is guarded:
# those that take callers' or residents' data, or free text a caller said.
_CLASSES = (
    "Store", "Import", "KnowledgeBase", "IntakeClassifier",
    "SigningResident", "SigningServiceRecord", "SigningRegistry", "SigningStore",
)
# Module functions that take such data.
_FUNCTIONS = (
    "copy_store", "triage", "read_id_number", "try_read_id_number", "upgrade_to_18", "id_check_character",
    "mask_phone", "mask_id_number", "mask_name", "mask_text",
)


def _types(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    shown = ", ".join(type(a).__name__ for a in args)
    if kwargs:
        named = ", ".join(f"{k}={type(v).__name__}" for k, v in kwargs.items())
        shown = f"{shown}; kwargs: {named}" if shown else f"kwargs: {named}"
    return shown


def masked_type_error(message: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """The message with pybind11's list of argument values replaced by their types, masked."""
    head, sep, _ = message.partition(_INVOKED)
    if sep:
        message = f"{head}{_INVOKED} {_types(args, kwargs)}"
    return _core.mask_text(message)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with its TypeErrors' messages freed of argument values (see the module's doc)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TypeError as e:
            error = TypeError(masked_type_error(str(e), args, kwargs))
        raise error  # outside the handler: the unmasked error is not chained

    return call


def _guard_class(cls: type) -> None:
    for name, attr in list(vars(cls).items()):
        if name.startswith("_") and name != "__init__":
            continue
        if type(attr) is property:  # an attribute (pybind11's static properties are a subclass: left alone)
            if attr.fset is not None:
                setattr(cls, name, property(attr.fget, guarded(attr.fset), attr.fdel, attr.__doc__))
        elif isinstance(attr, staticmethod):
            setattr(cls, name, staticmethod(guarded(attr.__func__)))
        elif isinstance(attr, (classmethod, property)):
            continue
        elif callable(attr):
            setattr(cls, name, guarded(getattr(cls, name)))


def install() -> None:
    """Wraps the classes and functions above in hotline._core (once)."""
    if getattr(_core, "_privacy_installed", False):
        return
    for name in _CLASSES:
        cls = getattr(_core, name, None)
        if cls is not None:
            _guard_class(cls)
    for name in _FUNCTIONS:
        fn = getattr(_core, name, None)
        if fn is not None:
            setattr(_core, name, guarded(fn))
    _core._privacy_installed = True  # type: ignore[attr-defined]
