"""Signed chain heads from Python (issue 22, part 1): a key file, a store that signs
at each commit, receipts as text, and verify(public_key=..., receipt=...).  Records
not editable by staff (004 §1.5); data authenticity (003 §3.1)."""
import datetime as dt
import os
import stat

import pytest

import hotline

SH = hotline.SHANGHAI


def t(day, hour, minute=0):
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=SH)


def order(store, hour):
    return store.create(request_type="complaint", received=t(3, hour), content="家庭医生未按约定上门随访",
                        caller_phone="13812341234", agent="A017", district="越秀区", sub_district="北京街")


def test_key_file_signed_heads_and_receipts(tmp_path):
    key = str(tmp_path / "head.key")
    pub = hotline.generate_key_file(key)
    assert len(pub) == 64 and hotline.public_key_of_key_file(key) == pub
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    store = hotline.Store(str(tmp_path / "hotline.db"), key_file=key)
    assert store.signs_heads
    order(store, 10)
    order(store, 11)
    head = store.head()
    assert head.is_signed and head.event_count == 2 and len(head.signature) == 128
    assert store.last_signed_head() == head
    line = str(head)
    assert line.startswith("hotline-head v1 events=2 ")
    assert hotline.HeadReceipt.parse(line) == head
    with pytest.raises(ValueError):
        hotline.HeadReceipt.parse("not a receipt")
    rep = store.verify(public_key=pub)
    assert rep.ok and rep.signed_through == 2 and rep.heads_checked == 2
    assert store.verify(receipt=head).ok
    assert store.verify(public_key=pub, receipt=hotline.HeadReceipt.parse(line)).ok
    other = hotline.generate_key_file(str(tmp_path / "other.key"))
    bad = store.verify(public_key=other)
    assert not bad.ok and bad.first_broken == 1
    with pytest.raises(ValueError):
        store.verify(public_key="xyz")


def test_store_without_a_key_says_unsigned(tmp_path):
    store = hotline.Store(str(tmp_path / "hotline.db"))
    assert not store.signs_heads
    order(store, 10)
    head = store.head()
    assert not head.is_signed and head.signature is None and head.key_id == ""
    assert str(head).endswith("key=- sig=-")
    assert store.last_signed_head() is None
    assert store.verify().ok and store.verify(receipt=head).ok
    with pytest.raises(hotline.Error):
        store.sign_head()
