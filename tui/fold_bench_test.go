package tui

import (
	"testing"
	"time"

	"workbench/datasets"
	"workbench/trainer"
)

// BenchmarkFold10kEpochs folds 10,000 queued epoch events of a binary run
// into the Train screen in one message, as one frame does after a backlog.
func BenchmarkFold10kEpochs(b *testing.B) { benchFold(b, false) }

// BenchmarkFoldAndDraw10kEpochs also draws the screen once, as the frame
// then does.
func BenchmarkFoldAndDraw10kEpochs(b *testing.B) { benchFold(b, true) }

func benchFold(b *testing.B, draw bool) {
	evs := make([]trainer.Event, 10_000)
	for i := range evs {
		m := map[string]float64{"loss": 1 / float64(i+1), "accuracy": 0.5, "auc": 0.5, "f1": 0.5, "precision": 0.5, "recall": 0.5}
		evs[i] = trainer.EpochEvent{ID: "bench", Epoch: i + 1, Epochs: 0, Train: m, Val: m, LR: 0.01, Elapsed: time.Duration(i) * time.Millisecond, SamplesPerSec: 1e6}
	}
	a := newApp(b, nil, 120, 40)
	r := &liveRun{id: "bench", spec: trainer.DefaultSpec(), queue: closedQueue(nil), key: "accuracy", status: trainer.StatusRunning,
		data: &datasets.Prepared{Meta: datasets.Meta{Task: datasets.Binary}}}
	a.Update(runStartedMsg{run: r})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Update(runEventsMsg{id: "bench", events: evs})
		if draw {
			_ = a.View()
		}
	}
}
