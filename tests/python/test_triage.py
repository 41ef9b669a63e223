"""Crisis triage and the intake classifier from Python (issue 20)."""
import hotline
import pytest


def test_triage_crisis_first():
    t = hotline.triage("我活着没什么意思了，不想活了")
    assert t.kind == "suicide_self_harm" and t.urgent
    assert t.route == "psychological_crisis_line"
    assert t.evidence
    calm = hotline.triage("请问家庭医生怎么签约")
    assert calm.kind == "none" and not calm.urgent
    assert hotline.triage("\U0001F600").confidence == 0


def test_classify_keeps_its_contract_and_adds_the_request_type():
    kb = hotline.KnowledgeBase()
    g = kb.classify("我们小区门口的诊所好像没有执照，天天给人打吊针")
    assert g.line == "health-supervision"
    assert g.request_type == "report" and 0 < g.request_type_confidence <= 1
    assert 0 < g.confidence <= 1 and g.channel == ""
    d = kb.answer("工地食堂吃完午饭很多工人中毒了")
    assert d.line.triage.kind == "outbreak_mass_poisoning" and d.line.triage.urgent
    assert d.line.line == "public-health-emergency" and not d.answer_now
    # Out of scope only on evidence; what cannot be placed is unsure.
    assert kb.classify("今天天气怎么样").line != "out-of-scope"
    assert kb.classify("").line == "unsure" and kb.classify("").request_type == ""
    o = kb.classify("医保报销比例是多少")
    assert o.line == "out-of-scope" and o.topic == "medical-insurance" and "12393" in o.channel


def test_intake_classifier_builtin_and_train():
    m = hotline.IntakeClassifier.builtin()
    assert "unsure" in m.line_labels and "complaint" in m.request_type_labels
    assert m.vocabulary_size > 1000
    g = m.classify("被狗咬了伤口怎么处理")
    assert g.readable and g.lines[0].label == "animal-bite"
    assert abs(sum(p.probability for p in g.lines) - 1) < 1e-9
    assert not m.classify("12320").readable
    corpus = hotline.IntakeClassifier.builtin_corpus()
    small = "\n".join(corpus.split("\n")[:301])
    mine = hotline.IntakeClassifier.train(small, epochs=3, calibration_folds=0)
    assert mine.temperatures == (1.0, 1.0)
    # An n-gram one utterance alone holds (its variants count once) is no feature by default.
    every = hotline.IntakeClassifier.train(small, epochs=3, calibration_folds=0, min_utterances=1)
    assert every.vocabulary_size > 2 * mine.vocabulary_size
    # Markers: words the train rows hold almost only in one line's calls; marker_share above 1: none.
    x = m.classify("听说医院附近有医托")
    assert [(k.group, k.word) for k in x.markers if k.group == "police"] == [("police", "医托")]
    g = hotline.KnowledgeBase().classify("听说医院附近有医托")
    assert g.line == "out-of-scope" and g.topic == "police" and g.cues == ["医托"]
    bare = hotline.IntakeClassifier.train(small, epochs=3, calibration_folds=0, marker_share=1.5)
    assert all(not bare.classify(row.split("\t")[2]).markers for row in small.split("\n")[1:50])
    assert any(mine.classify(row.split("\t")[2]).markers for row in small.split("\n")[1:50])
    # The regression alone (no naive Bayes added) is another model; a negative weight is refused.
    alone = hotline.IntakeClassifier.train(small, epochs=3, calibration_folds=0, naive_bayes_weight=0)
    text = small.split("\n")[1].split("\t")[2]
    assert alone.classify(text).lines[0].probability != mine.classify(text).lines[0].probability
    with pytest.raises(hotline.InvalidArgumentError, match="naive_bayes_weight"):
        hotline.IntakeClassifier.train(small, naive_bayes_weight=-1)
    with pytest.raises(hotline.ParseError, match=r"<tsv>:2"):
        hotline.IntakeClassifier.train("text\tline\trequest_type\nonly two\tfields\n")


def test_unsure_calls_carry_a_suggestion_for_the_agent():
    kb = hotline.KnowledgeBase()
    model = hotline.IntakeClassifier.builtin()
    rows = [line.split("\t") for line in hotline.IntakeClassifier.builtin_corpus().split("\n")[1:] if line]
    seen = 0
    for _id, split, text, _crisis, _line, _type in rows:
        if split != "train":
            continue
        g = kb.classify(text)
        if g.line != "unsure":
            assert g.suggestion == "" and g.suggestion_confidence == 0
            continue
        if not model.classify(text).readable:  # nothing read (a row of digits): nothing to suggest
            assert g.suggestion == ""
            continue
        seen += 1
        assert g.suggestion in model.line_labels and g.suggestion != "unsure"
        assert 0 < g.suggestion_confidence <= 1
        if seen >= 20:
            break
    assert seen == 20
    assert kb.classify("").suggestion == ""
