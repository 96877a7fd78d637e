"""Parsing model files into SpiffWorkflow specs and freezing a process (with everything it calls)
into one JSON text, kept once per published model version. Never runs an instance."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.defaults import IntermediateCatchEvent
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import CamundaIntermediateCatchEventParser
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser, UserTaskParser
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG
from SpiffWorkflow.camunda.specs.user_task import UserTask as CamundaUserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.durations import as_timer_expression
from engine.errors import Invalid

# lxml refuses external entities only when told; say it explicitly and never touch the network.
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))


@dataclass(frozen=True)
class SourceFile:
    name: str
    kind: str  # bpmn | dmn
    text: str


def parse_xml(text: str | bytes, file_name: str) -> Any:
    """Parse XML safely; raises Invalid with the line of the first problem."""
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as error:
        raise Invalid(
            f"{file_name}: geen geldige XML ({error.msg})",
            code="bad_xml",
            details=[{"element_id": None, "message": f"regel {error.lineno}: {error.msg}"}],
        ) from error


class _CatchEventWithProperties(CamundaIntermediateCatchEventParser):  # type: ignore[misc]
    """Catch events keep their camunda:properties too: a waiting step names the case's phase."""

    parse_extensions = CamundaTaskParser.parse_extensions


class _UserTaskWithCandidateGroup(UserTaskParser):  # type: ignore[misc]
    """Camunda Modeler files give a task's role as camunda:candidateGroups instead of a lane."""

    def parse_extensions(self, node: Any = None) -> dict[str, Any]:
        extensions: dict[str, Any] = super().parse_extensions(node)
        group = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}candidateGroups")
        if group:
            extensions["candidate_groups"] = group.strip()
        return extensions


class MdaParser(CamundaParser):  # type: ignore[misc]
    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("intermediateCatchEvent"): (_CatchEventWithProperties, IntermediateCatchEvent),
        full_tag("userTask"): (_UserTaskWithCandidateGroup, CamundaUserTask),
    }


_BPMN_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
_TIMER_TEXTS = ".//bpmn:timerEventDefinition/*"


def make_parser(files: list[SourceFile]) -> CamundaParser:
    """A Spiff parser holding the given files; raises Invalid naming the element at fault."""
    parser = MdaParser()
    for source in files:
        root = parse_xml(source.text, source.name)
        for expression in root.xpath(_TIMER_TEXTS, namespaces=_BPMN_NS):
            expression.text = as_timer_expression(expression.text or "")
        try:
            if source.kind == "dmn":
                parser.add_dmn_xml(root, filename=source.name)
            else:
                parser.add_bpmn_xml(root, filename=source.name)
        except SpiffWorkflowException as error:
            raise invalid_from_spiff(error, source.name) from error
        except RecursionError as error:  # model_limits keeps paths short; this is the backstop
            raise _unparsable(source.name, "het model is te diep genest of te lang") from error
    return parser


def _unparsable(file_name: str, message: str) -> Invalid:
    return Invalid(
        f"{file_name}: {message}", code="invalid_model", details=[{"element_id": None, "message": message}]
    )


def invalid_from_spiff(error: Exception, file_name: str = "") -> Invalid:
    """Spiff's exception as our Invalid, naming the element it was raised for."""
    element_id = getattr(error, "id", None) or getattr(getattr(error, "task_spec", None), "bpmn_id", None)
    message = str(error).split("\n")[0]
    return Invalid(
        f"{file_name}: {message}" if file_name else message,
        code="invalid_model",
        details=[{"element_id": element_id or None, "message": message}],
    )


def freeze_spec(parser: CamundaParser, process_id: str) -> str:
    """Serialize a process with all it calls (subprocesses, decisions) into one JSON text."""
    try:
        spec = parser.get_spec(process_id)
        subprocesses = parser.get_subprocess_specs(process_id)
    except SpiffWorkflowException as error:
        raise invalid_from_spiff(error) from error
    except RecursionError as error:  # Spiff parses lazily, here: model_limits keeps paths short
        raise _unparsable(process_id, "het model is te diep genest of te lang") from error
    except KeyError as error:
        raise Invalid(
            f"Proces {process_id} roept een onbekend proces of besluit aan: {error}",
            code="invalid_model",
            details=[{"element_id": str(error).strip("'"), "message": "onbekend proces of besluit"}],
        ) from error
    try:
        return json.dumps(
            {
                "spec": SERIALIZER.to_dict(spec),
                "subprocess_specs": {name: SERIALIZER.to_dict(sub) for name, sub in subprocesses.items()},
            }
        )
    except (TypeError, ValueError, RecursionError) as error:  # a construct Spiff cannot store
        raise _unparsable(
            process_id, f"het model gebruikt iets dat niet kan worden opgeslagen ({error})"
        ) from error


# A published version never changes, so its spec is thawed once per process and shared by every
# instance (Spiff keeps run-time state in tasks, never in specs). Keyed by the frozen text itself,
# so two databases whose version ids collide can never share a wrong spec.
_CACHE: OrderedDict[str, tuple[Any, dict[str, Any]]] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def shared_spec(spec_json: str) -> tuple[Any, dict[str, Any]]:
    """`thaw_spec`, once per frozen text (an LRU of the last 64); never mutate what it returns."""
    with _CACHE_LOCK:
        cached = _CACHE.get(spec_json)
        if cached is not None:
            _CACHE.move_to_end(spec_json)
            return cached
    cached = thaw_spec(spec_json)
    with _CACHE_LOCK:
        _CACHE[spec_json] = cached
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return cached


def thaw_spec(spec_json: str) -> tuple[Any, dict[str, Any]]:
    """The process spec and its called specs back from their frozen JSON."""
    specs = json.loads(spec_json)
    spec = SERIALIZER.from_dict(specs["spec"])
    return spec, {name: SERIALIZER.from_dict(s) for name, s in specs["subprocess_specs"].items()}
