package tui

import (
	"errors"
	"strings"

	"workbench/datasets"
	"workbench/sweeps"
	"workbench/trainer"
)

// A sweep's objective is the metric its trials are ranked by. It is not a
// field of the run spec, so it has no registry row: the form shows it as
// a line of its own, under Sweep, while fields are marked to sweep, and
// the model keeps its value (setupModel.objective, "" for the task's key
// metric).

// objectiveKey is the objective line's key.
const objectiveKey = "sweep.objective"

// objectiveDefault is how the form shows the task's key metric.
const objectiveDefault = "default"

// objectiveField is the objective line for the model's spec and task:
// the task's validation metrics to step through, and val_cost when the
// spec has a cost matrix. Its get and set are the model's (value, assign).
func (m *setupModel) objectiveField() field {
	steps := []string{objectiveDefault}
	task, known := m.task()
	def := "val_accuracy, val_r2 for regression"
	if known {
		def = "val_" + trainer.KeyMetric(task)
		for _, name := range trainer.MetricNames(task) {
			steps = append(steps, "val_"+name)
		}
	} else {
		steps = append(steps, "val_loss", "val_accuracy", "val_auc", "val_f1", "val_r2")
	}
	if m.spec.Decision.HasCosts() && (!known || task == datasets.Binary) {
		steps = append(steps, trainer.CostMonitor)
	}
	return field{key: objectiveKey, section: "Sweep", label: "sweep objective", layer: -1, steps: steps,
		hint: "ranks the trials; default " + def + "; val_loss and val_cost (with costs) rank lowest first"}
}

// value is field f's text in the form.
func (m *setupModel) value(f *field) string {
	if f.key == objectiveKey {
		if m.objective == "" {
			return objectiveDefault
		}
		return m.objective
	}
	return f.get(&m.spec)
}

// assign sets field f from text v, or says why it cannot. A metric the
// spec cannot compute yet (val_cost before the costs are set) is taken:
// validate refuses to start until it can.
func (m *setupModel) assign(f *field, v string) error {
	if f.key != objectiveKey {
		return f.set(&m.spec, v)
	}
	v = strings.TrimSpace(v)
	if v == "" || v == objectiveDefault {
		m.objective = ""
		return nil
	}
	var err error
	if task, ok := m.task(); ok {
		_, err = trainer.ParseMetric(v, task)
	} else {
		_, err = trainer.ParseMonitor(v)
	}
	if err != nil {
		return errors.New(setupHint(err.Error()))
	}
	m.objective = v
	return nil
}

// checkObjective says why the marked sweep cannot rank its trials by the
// objective (val_cost without a cost matrix), in the form's words, or "".
func (m *setupModel) checkObjective() string {
	task, ok := m.task()
	if len(m.sweep) == 0 || !ok {
		return ""
	}
	_, err := sweeps.CheckObjective(m.sweepSpec(), task)
	if err == nil {
		return ""
	}
	msg := strings.TrimPrefix(err.Error(), "sweep: ")
	if rest, ok := strings.CutPrefix(msg, "objective "); ok {
		msg = "sweep objective: " + rest
	} else {
		msg = "sweep " + msg // trial 2: objective val_cost needs …
	}
	return setupHint(msg)
}
