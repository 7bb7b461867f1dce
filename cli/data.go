package cli

import (
	"errors"
	"strings"

	"workbench/datasets"
	"workbench/trainer"
)

// loadData builds a dataset spec; the path "-" reads a CSV from stdin. A
// spec that does not fit its data (crosses on a set that is not 2-D) is a
// usage error.
func loadData(e *env, ds datasets.Spec) (*datasets.Prepared, error) {
	var data *datasets.Prepared
	var err error
	if ds.Path == "-" {
		data, err = datasets.BuildReader(e.stdin, "<stdin>", ds)
	} else {
		data, err = datasets.Build(ds)
	}
	if errors.As(err, new(*datasets.SpecError)) {
		return nil, usageError{err.Error()}
	}
	return data, err
}

// resolveRun builds the spec from the flags and loads its data; the loss
// follows the data's task unless it was chosen.
func resolveRun(e *env, sf *specFlags) (trainer.Spec, *datasets.Prepared, error) {
	spec, lossChosen, err := sf.resolve()
	if err != nil {
		return spec, nil, err
	}
	if err := checkRules(spec); err != nil {
		return spec, nil, err
	}
	if err := spec.Data.Validate(); err != nil {
		return spec, nil, usageError{err.Error()}
	}
	data, err := loadData(e, spec.Data)
	if err != nil {
		return spec, nil, err
	}
	if !lossChosen {
		spec.Loss = trainer.DefaultLossFor(data.Task())
	}
	if spec.ScaleTarget == "" {
		spec.ScaleTarget = trainer.DefaultScaleTarget(data.Task())
	}
	if err := spec.Validate(); err != nil {
		return spec, nil, usageError{err.Error()}
	}
	if err := spec.CheckTask(data.Task()); err != nil {
		return spec, nil, usageError{err.Error()}
	}
	return spec, data, nil
}

// checkRules names the nearest known metric when the early-stopping
// monitor or the --until rule has an unknown one.
func checkRules(s trainer.Spec) error {
	known := metricNames("val_", "train_")
	if m := s.EarlyStop.Monitor; m != "" {
		if err := checkMetric("--monitor", m, known); err != nil {
			return err
		}
	}
	if m := ruleMetric(s.Target); m != "" {
		return checkMetric("--until", m, known)
	}
	return nil
}

// ruleMetric returns the metric of a rule such as val_accuracy>=0.9: the
// text before its first comparison.
func ruleMetric(rule string) string {
	if i := strings.IndexAny(rule, "><=!~"); i > 0 {
		return strings.TrimSpace(rule[:i])
	}
	return ""
}
