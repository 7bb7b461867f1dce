package sessions

import (
	"context"
	"path/filepath"
	"testing"
)

func TestSettingsPutGetAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.GetSetting(ctx, "setup.spec"); err != nil || ok || v != "" {
		t.Fatalf("a new store's setting = %q, %v, %v; want none", v, ok, err)
	}
	if err := s.PutSetting(ctx, "setup.spec", `{"a":1}`); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSetting(ctx, "setup.spec", `{"a":2}`); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSetting(ctx, "", "x"); err == nil {
		t.Error("an empty key was accepted")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, ok, err := s.GetSetting(ctx, "setup.spec")
	if err != nil || !ok || v != `{"a":2}` {
		t.Fatalf("after reopening: %q, %v, %v; want {\"a\":2}", v, ok, err)
	}
	if _, ok, _ := s.GetSetting(ctx, "other"); ok {
		t.Error("an unset key has a value")
	}
}
