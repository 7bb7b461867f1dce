package datasets

import "strings"

// FeatureGroup is one original column of a dataset: a numeric feature, or
// the run of one-hot features ("col=value") that encode a text column.
type FeatureGroup struct {
	Name  string // the original column name
	Start int    // the first feature's index
	N     int    // how many features encode it
}

// FeatureGroups groups a model's feature names by original column: the
// one-hot features "col=a", "col=b" … of one text column form one group
// named col, and every other feature is a group of its own.
func FeatureGroups(features []string) []FeatureGroup {
	var out []FeatureGroup
	for j, f := range features {
		name := f
		oneHot := false
		if k := strings.Index(f, "="); k > 0 {
			name, oneHot = f[:k], true
		}
		if oneHot && len(out) > 0 {
			g := &out[len(out)-1]
			if g.Name == name && g.Start+g.N == j && strings.HasPrefix(features[g.Start], name+"=") {
				g.N++
				continue
			}
		}
		out = append(out, FeatureGroup{Name: name, Start: j, N: 1})
	}
	return out
}
