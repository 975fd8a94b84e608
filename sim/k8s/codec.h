#pragma once
// Manifest codec: YAML/JSON text -> typed objects (strict, like the API server's strict decoding),
// and typed objects -> the JSON that `kubectl get -o json` prints.
//
// Decoding rules (mirrors k8s apimachinery strict decoding via sigs.k8s.io/yaml + sigs.k8s.io/json):
//  * multi-document YAML (`---`); JSON is accepted (it is YAML); empty/null documents are skipped;
//  * documents with apiVersion `sim.local/v1` (SimulatorConfig) are skipped by DecodeManifests;
//  * apiVersion + kind must name a supported kind in its served version (Ingress: networking.k8s.io/v1,
//    IngressClassParams/TargetGroupBinding: elbv2.k8s.aws/v1beta1, ...);
//  * an unknown field is an error (`strict decoding error: unknown field "spec.foo"`); real Kubernetes
//    fields that albtwin does not model (container `resources`, `env`, pod `volumes`, ...) are accepted
//    and dropped;
//  * a wrong type is an error (an unquoted `true` where a string is expected, a string port, ...);
//  * `null` means "absent"; YAML 1.1 scalars (`yes`, `on`) are booleans as in go-yaml v2.
// Every error message is `FILE:LINE:COL: message` (1-based line and column of the offending node).
// No defaulting and no validation here: that is the API server's job (fake_api_server.h).

#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/status.h"

namespace YAML {
class Node;
}

namespace sim::k8s {

struct DecodedObject {
  model::k8s::ObjectPtr object;
  int line = 0;    // 1-based line of the document's first node (after line_offset)
  int column = 0;  // 1-based
};

// Decodes every Kubernetes document of `text`. `line_offset` is added to every reported line (for
// manifests embedded in a larger file: pass the 0-based line where `text` starts).
Result<std::vector<model::k8s::ObjectPtr>> DecodeManifests(const std::string& text, const std::string& file_name,
                                                           int line_offset = 0);
// Same, with each object's source position (for step reports).
Result<std::vector<DecodedObject>> DecodeManifestsWithPositions(const std::string& text,
                                                                const std::string& file_name,
                                                                int line_offset = 0);
// Decodes one already-parsed YAML mapping (e.g. an inline object inside a scenario file); positions come
// from the node's marks. Also usable for SimulatorConfig detection via IsSimulatorConfigNode.
Result<model::k8s::ObjectPtr> DecodeObjectNode(const YAML::Node& node, const std::string& file_name,
                                               int line_offset = 0);
// True when the document's apiVersion is sim.local/v1 (kind SimulatorConfig or any other sim kind).
bool IsSimulatorConfigNode(const YAML::Node& node);

// kubectl `-o json` form of one object: keys sorted, 4-space indent, empty optional fields omitted,
// apiVersion and kind always present.
std::string EncodeJson(const model::k8s::Object& obj);
// Compact one-line JSON (same content); used for stable hashing and no-op write detection.
std::string EncodeCompactJson(const model::k8s::Object& obj);
// Compact JSON of everything but apiVersion, kind, metadata and status (what metadata.generation
// tracks: the spec of built-ins, every non-metadata/status field of custom resources).
std::string EncodeSpecJson(const model::k8s::Object& obj);
// Compact binary fingerprints for equality tests only (not JSON, not stable across versions):
// EncodeFingerprint(a) == EncodeFingerprint(b) exactly when EncodeCompactJson(a) == EncodeCompactJson(b)
// (with include_resource_version=false, as if both had an empty metadata.resourceVersion), and
// EncodeSpecFingerprint likewise for EncodeSpecJson. Much cheaper: no JSON tree is built.
std::string EncodeFingerprint(const model::k8s::Object& obj, bool include_resource_version = true);
std::string EncodeSpecFingerprint(const model::k8s::Object& obj);
// Fingerprint of the root "status" object only. For two objects of one kind that differ at most in
// their status, equal exactly when their EncodeFingerprint is equal.
std::string EncodeStatusFingerprint(const model::k8s::Object& obj);
// `{"apiVersion": "v1", "items": [...], "kind": "List", "metadata": {"resourceVersion": ""}}`, as
// `kubectl get -o json` prints several objects.
std::string EncodeJsonList(const std::vector<model::k8s::ObjectPtr>& objects);

}  // namespace sim::k8s
