package datasets

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"
)

// errTooLarge ends a read past the size limit.
type errTooLarge struct{ max int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("the file is larger than the limit of %d bytes", e.max)
}

// limitReader reads at most max bytes of r and fails past them, so a
// file over the limit is an error, never a silent truncation.
type limitReader struct {
	r    io.Reader
	left int64
	max  int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, errTooLarge{l.max}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, errTooLarge{l.max}
	}
	return n, err
}

// peekSize is how much of the start of a file decides its encoding and
// delimiter.
const peekSize = 64 << 10

// newCSVReader reads at most maxBytes (0 = MaxCSVBytes) of r as a stream,
// drops a UTF-8 BOM, refuses UTF-16 (with or without a BOM), and returns a
// reader with the delimiter detected. An empty input, UTF-16 and a file
// past the limit are errors naming file.
func newCSVReader(r io.Reader, file string, maxBytes int64) (*csv.Reader, error) {
	if maxBytes <= 0 {
		maxBytes = MaxCSVBytes
	}
	br := bufio.NewReaderSize(&limitReader{r: r, left: maxBytes, max: maxBytes}, peekSize)
	head, err := br.Peek(peekSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		var big errTooLarge
		if errors.As(err, &big) {
			return nil, &CSVError{File: file, Msg: big.Error()}
		}
		return nil, &CSVError{File: file, Msg: fmt.Sprintf("read: %v", err)}
	}
	if enc := utf16Kind(head); enc != "" {
		return nil, &CSVError{File: file, Msg: fmt.Sprintf("the file is UTF-16 (%s) text, not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8 %s > %s.utf8.csv",
			enc, quoteCell(file), quoteCell(baseName(file)))}
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		head = head[3:]
	}
	if len(bytes.TrimSpace(head)) == 0 && len(head) < peekSize {
		return nil, &CSVError{File: file, Msg: "the file is empty"}
	}
	cr := csv.NewReader(br)
	cr.Comma = detectDelimiter(head)
	cr.FieldsPerRecord = -1
	return cr, nil
}

// utf16Kind recognises UTF-16 text by its byte order mark or, without
// one, by the NUL byte beside each ASCII character; it returns
// "little-endian", "big-endian" or "".
func utf16Kind(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return "little-endian"
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return "big-endian"
	}
	n := min(len(b), 1024) &^ 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*9 && even*10 < pairs:
		return "little-endian"
	case even*10 >= pairs*9 && odd*10 < pairs:
		return "big-endian"
	}
	return ""
}

// readRecord reads one record and its line; a parse error names the line
// and column. It returns io.EOF at the end. With the reader's
// ReuseRecord set, the slice is valid until the next call.
func readRecord(cr *csv.Reader, file string) ([]string, int, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		var big errTooLarge
		if errors.As(err, &big) {
			return nil, 0, &CSVError{File: file, Msg: big.Error()}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, 0, &CSVError{File: file, Line: pe.StartLine, Msg: parseErrorText(pe)}
		}
		return nil, 0, &CSVError{File: file, Msg: err.Error()}
	}
	line, _ := cr.FieldPos(0)
	return rec, line, nil
}

// parseErrorText says what a CSV syntax error means and how to fix it, on
// the line where its record starts. encoding/csv's words ("extraneous or
// missing \" in quoted-field") said neither; its column counts bytes, where
// our errors' columns count fields; and a quote left open was reported
// where the file ended, lines after the stray quote.
func parseErrorText(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		return fmt.Sprintf(`a quoted field opens on this line and is still open at line %d (lines %d–%d read as one field): close its quote, or write "" for a quote inside quotes`,
			pe.Line, pe.StartLine, pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf(`character %d: a quote is not closed, or a quoted field goes on after its closing quote: close it, and write "" for a quote inside quotes`, pe.Column)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`character %d: a quote in a field that is not quoted: quote the whole field and write "" for the quote, or remove it`, pe.Column)
	}
	return fmt.Sprintf("character %d: %v", pe.Column, pe.Err)
}

// maxQuoted is how much of a cell an error message quotes.
const maxQuoted = 80

// quoteCell quotes s for an error message, at most maxQuoted bytes of it:
// a 60 MB cell must not end up on a terminal.
func quoteCell(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("… (%d bytes)", len(s))
}

// sizeHint returns the bytes r holds, when it knows (a file, a byte or
// string reader), else 0.
func sizeHint(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size()
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}
