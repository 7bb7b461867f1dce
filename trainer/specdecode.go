package trainer

import (
	"encoding/json"
	"fmt"
	"strings"

	"workbench/datasets"
)

// DecodeSpec decodes a JSON spec, rejecting unknown fields, without
// validating it. Fields the document leaves out take DefaultSpec's values,
// so {"data":{"name":"xor"},"epochs":3} is a whole spec. A data object
// that is given starts from the default split only (not the default
// dataset's name or size) and the default data seed; a given seed leaves
// the data seed alone, as Set does. A complete spec decodes to itself.
func DecodeSpec(b []byte) (Spec, error) {
	var given struct {
		Data *struct{} `json:"data"`
	}
	json.Unmarshal(b, &given) // only looks for keys; Decode below reports errors
	s := DefaultSpec()
	if given.Data != nil {
		s.Data = datasets.Spec{Split: datasets.DefaultSplit, Seed: s.Data.Seed}
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("spec: %v", err)
	}
	return s, nil
}
