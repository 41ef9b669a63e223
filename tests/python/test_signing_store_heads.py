"""Signed heads of the signing journal, and signers that live outside the library
(issue 22): a key file, a Python callable standing for a hardware module or a signing
service (here OpenSSL's Ed25519 through python3-cryptography, an implementation
independent of the library's libsodium), receipts, and a signer that fails.
Records not editable by staff (004 §1.5); data authenticity (003 §3.1)."""
import datetime
import sqlite3

import pytest

import hotline
from hotline import signing

ed25519 = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ed25519")
serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")

D = datetime.date


class ExternalSigner:
    """A signer the library only calls: it holds the key, counts its signatures and
    can be told to fail, as a signing service that is down."""

    def __init__(self):
        self.key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_hex = raw.hex()
        self.calls = 0
        self.down = False

    def __call__(self, message: bytes) -> bytes:
        assert isinstance(message, bytes)
        if self.down:
            raise ConnectionError("signing service unreachable")
        self.calls += 1
        return self.key.sign(message)


def populate(db, residents=2):
    db.add_institution(signing.Institution(code="YX-01", district="越秀区", subdistrict="北京街"), by="clerk")
    db.add_team(signing.Team(code="T01", institution="YX-01"), by="clerk")
    db.add_staff(signing.StaffMember(id="D01", institution="YX-01"), by="clerk")
    db.join_team("T01", "D01", signing.TeamRole.FAMILY_DOCTOR, D(2016, 1, 1), by="clerk")
    db.add_package(signing.Package(code="BASIC", fee_fen=100, insurance_fen=100), by="clerk")
    for i in range(1, residents + 1):
        db.add_resident(signing.Resident(id=f"R{i}", birth=D(1950, 1, i), district="越秀区", subdistrict="北京街"), by="clerk")
        db.sign(signing.SignRequest(resident=f"R{i}", team="T01", packages=["BASIC"], start=D(2017, 3, 1)), by="D01")


def test_a_python_signer_signs_every_write_and_the_public_key_verifies(tmp_path):
    ext = ExternalSigner()
    db = signing.SigningStore(tmp_path / "signing.db", signer=ext, public_key=ext.public_hex)
    assert db.signs_heads
    populate(db)
    rows = db.last_seq()
    assert rows == 10 and ext.calls == rows  # the policy row and one head per write
    head = db.head()
    assert head.is_signed and head.event_count == rows and db.last_signed_head() == head
    # OpenSSL verifies what libsodium checks: a plain Ed25519 signature over the documented message.
    rep = db.verify(public_key=ext.public_hex)
    assert rep.ok and rep.heads_checked == rows and rep.signed_through == rows
    kept = hotline.HeadReceipt.parse(str(head))
    assert db.verify(receipt=kept, public_key=ext.public_hex).ok


def test_a_failing_signer_stores_nothing_and_its_exception_reaches_the_caller(tmp_path):
    ext = ExternalSigner()
    path = tmp_path / "signing.db"
    db = signing.SigningStore(path, signer=ext, public_key=ext.public_hex)
    populate(db, residents=1)
    rows = db.last_seq()
    ext.down = True
    with pytest.raises(ConnectionError, match="unreachable"):
        db.add_resident(signing.Resident(id="R9", birth=D(1960, 1, 1), district="越秀区"), by="clerk")
    assert db.last_seq() == rows
    assert sqlite3.connect(path).execute("SELECT count(*) FROM journal").fetchone()[0] == rows
    assert db.view().resident_count() == 1
    ext.down = False
    db.add_resident(signing.Resident(id="R9", birth=D(1960, 1, 1), district="越秀区"), by="clerk")
    assert db.verify(public_key=ext.public_hex).ok


def test_signer_arguments_are_checked(tmp_path):
    ext = ExternalSigner()
    with pytest.raises(ValueError, match="needs public_key"):
        signing.SigningStore(tmp_path / "a.db", signer=ext)
    with pytest.raises(TypeError, match="callable"):
        signing.SigningStore(tmp_path / "b.db", signer="not callable", public_key=ext.public_hex)
    with pytest.raises(ValueError, match="64 hex digits"):
        signing.SigningStore(tmp_path / "c.db", signer=ext, public_key="abc")
    key = str(tmp_path / "head.key")
    hotline.generate_key_file(key)
    with pytest.raises(ValueError, match="not both"):
        signing.SigningStore(tmp_path / "d.db", key_file=key, signer=ext, public_key=ext.public_hex)
    # A signer returning the wrong thing is refused before anything is stored.
    with pytest.raises(hotline.InvalidArgumentError, match="32 bytes: an Ed25519 signature is 64"):
        signing.SigningStore(tmp_path / "e.db", signer=lambda m: b"x" * 32, public_key=ext.public_hex)
    # A signer for another key: refused at its first signature.
    other = ed25519.Ed25519PrivateKey.generate()
    with pytest.raises(hotline.StorageError, match="does not verify with its public key"):
        signing.SigningStore(tmp_path / "f.db", signer=other.sign, public_key=ext.public_hex)


def test_the_work_order_store_takes_a_python_signer_too(tmp_path):
    ext = ExternalSigner()
    store = hotline.Store(str(tmp_path / "hotline.db"), signer=ext, public_key=ext.public_hex)
    store.create(request_type="complaint", received=datetime.datetime(2025, 3, 3, 10, tzinfo=hotline.SHANGHAI),
                 content="家庭医生未按约定上门随访", caller_phone="13812341234", agent="A017")
    assert ext.calls == 1 and store.head().is_signed
    assert store.verify(public_key=ext.public_hex).ok


def test_a_key_file_signs_the_journal_and_a_rewrite_is_named(tmp_path):
    key = str(tmp_path / "head.key")
    pub = hotline.generate_key_file(key)
    path = tmp_path / "signing.db"
    db = signing.SigningStore(path, key_file=key, sign_every_rows=3)
    populate(db, residents=3)
    db.sign_head()
    del db
    # An insider edits a row of the journal (the trigger dropped); the hash no longer matches.
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER journal_no_update")
    con.execute("UPDATE journal SET \"by\" = 'D02' WHERE seq = 9")
    con.commit()
    con.close()
    ro = signing.SigningStore(path, read_only=True)
    assert not ro.signs_heads and ro.head().event_count == 12
    rep = ro.verify(public_key=pub)
    assert not rep.ok and rep.first_bad_seq == 9
