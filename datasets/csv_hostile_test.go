package datasets

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if bigEndian {
			b.Write([]byte{byte(u >> 8), byte(u)})
		} else {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
	}
	return b.Bytes()
}

func TestCSVRefusesUTF16(t *testing.T) {
	src := "a,b,y\n1,2,0\n3,4,1\n5,6,0\n"
	for _, c := range []struct {
		big, bom bool
		want     string
	}{{false, true, "little-endian"}, {true, true, "big-endian"}, {false, false, "little-endian"}, {true, false, "big-endian"}} {
		_, err := Load(bytes.NewReader(utf16Bytes(src, c.big, c.bom)), CSVOptions{Name: "u.csv"})
		if err == nil || !strings.Contains(err.Error(), "UTF-16 ("+c.want+")") || !strings.Contains(err.Error(), "iconv") {
			t.Errorf("big-endian %v, BOM %v: %v", c.big, c.bom, err)
		}
	}
	// UTF-8 with non-ASCII text is not mistaken for it.
	if _, err := Load(strings.NewReader("名前,y\nä,0\nö,1\nä,1\n"), CSVOptions{Name: "ok.csv"}); err != nil {
		t.Fatal(err)
	}
}

func TestCSVHeaderOnly(t *testing.T) {
	for _, src := range []string{"a,b,y\n", "a,b,y", "\ufeffa;b;y\r\n\r\n"} {
		_, err := Load(strings.NewReader(src), CSVOptions{Name: "h.csv"})
		if err == nil || err.Error() != "h.csv: the file has a header but no data rows" {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestCSVErrorsQuoteAtMost80Bytes(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	cases := []struct{ name, src string }{
		{"a typo in a numeric column", "a,y\n1,0\n2,1\n3,0\n" + huge + ",1\n"},
		{"a missing value", "a,b,y\n1,2,0\n" + "?,2,1\n"},
		{"a single class", "a,y\n1," + huge + "\n2," + huge + "\n"},
		{"an unknown target", "a" + huge + ",y\n1,0\n"},
		{"a long column name", "a,b" + huge + ",y\n1,x,0\n2,y,1\n3,,0\n"},
	}
	for _, c := range cases {
		o := CSVOptions{Name: "big.csv", Target: map[bool]string{true: "z"}[c.name == "an unknown target"]}
		_, err := Load(strings.NewReader(c.src), o)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if len(err.Error()) > 400 {
			t.Errorf("%s: a %d-byte error message", c.name, len(err.Error()))
		}
	}
}

func TestCSVSizeLimitWhileStreaming(t *testing.T) {
	src := "a,y\n" + strings.Repeat("1,0\n2,1\n", 20000)
	_, err := Load(strings.NewReader(src), CSVOptions{Name: "s.csv", MaxBytes: 100_000})
	if err == nil || err.Error() != "s.csv: the file is larger than the limit of 100000 bytes" {
		t.Fatal(err)
	}
	tab, err := Load(strings.NewReader(src), CSVOptions{Name: "s.csv", MaxBytes: int64(len(src))})
	if err != nil || tab.N != 40000 {
		t.Fatal(err)
	}
}

// TestCSVInPlaceMatchesOneHot checks that the numeric-only path (X built
// over the cells) and the one-hot path agree, with rows dropped.
func TestCSVInPlaceMatchesOneHot(t *testing.T) {
	src := "a,b,y\n1,2,0\n,4,1\n5,6,0\n7,8,1\n"
	tab, err := Load(strings.NewReader(src), CSVOptions{Name: "n.csv", Missing: MissingDropRows})
	if err != nil || tab.N != 3 || tab.D != 2 {
		t.Fatal(tab, err)
	}
	want := []float64{1, 2, 5, 6, 7, 8}
	for i, v := range want {
		if tab.X[i] != v {
			t.Fatalf("X = %v, want %v", tab.X, want)
		}
	}
	if len(tab.Y) != 3 || tab.Y[0] != 0 || tab.Y[2] != 1 {
		t.Fatalf("Y = %v", tab.Y)
	}
	src = "a,c,y\n1,red,0\n,blue,1\n5,1.0,0\n7,red,1\n"
	tab, err = Load(strings.NewReader(src), CSVOptions{Name: "t.csv", Missing: MissingDropRows})
	if err != nil || tab.N != 3 || strings.Join(tab.Meta.FeatureNames, " ") != "a c=1.0 c=red" {
		t.Fatal(tab.Meta.FeatureNames, err)
	}
}
