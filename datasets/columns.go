package datasets

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
)

// Column describes one column of a CSV file as Load would read it, for a
// form that lets people pick the target and the columns to ignore.
type Column struct {
	Name string
	// Type is "number" when at least half of the present cells are
	// numbers (Load's rule), "text" otherwise, and "empty" when every
	// sampled cell is missing.
	Type string
	// Missing counts the missing cells among the sampled rows.
	Missing int
}

// columnSample is how many data rows Columns reads: enough to type the
// columns, without reading a large file.
const columnSample = 2000

// Columns reads the header and the first rows of the CSV file at path
// and returns its columns. A file without a header gets Load's names
// (col0, col1, …). Errors name the file.
func Columns(path string) ([]Column, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if bom, _ := br.Peek(3); string(bom) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	head, _ := br.Peek(64 << 10) // the first line, for the delimiter
	cr := csv.NewReader(br)
	cr.Comma = detectDelimiter(head)
	cr.FieldsPerRecord = -1
	var rows [][]string
	for len(rows) <= columnSample {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &CSVError{File: baseName(path), Msg: err.Error()}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		rows = append(rows, rec)
	}
	if len(rows) == 0 {
		return nil, &CSVError{File: baseName(path), Msg: "the file is empty"}
	}
	width := len(rows[0])
	cols := make([]Column, width)
	for j := range cols {
		cols[j].Name = fmt.Sprintf("col%d", j)
	}
	if looksLikeHeader(rows) {
		for j, n := range rows[0] {
			if n = strings.TrimSpace(n); n != "" {
				cols[j].Name = n
			}
		}
		rows = rows[1:]
	}
	for j := range cols {
		num, present := 0, 0
		for _, r := range rows {
			if j >= len(r) || isMissing(r[j]) {
				cols[j].Missing++
				continue
			}
			present++
			if _, ok := parseNumber(r[j]); ok {
				num++
			}
		}
		switch {
		case present == 0:
			cols[j].Type = "empty"
		case 2*num >= present:
			cols[j].Type = "number"
		default:
			cols[j].Type = "text"
		}
	}
	return cols, nil
}

// looksLikeHeader is Load's rule: the first row names the columns when
// some column holds text in it but a number in the second row, or when
// every cell of it is text.
func looksLikeHeader(rows [][]string) bool {
	if len(rows) < 2 {
		return false
	}
	allText := true
	for j, c := range rows[0] {
		_, num := parseNumber(c)
		if num {
			allText = false
		}
		if !num && !isMissing(c) && j < len(rows[1]) {
			if _, ok := parseNumber(rows[1][j]); ok {
				return true
			}
		}
	}
	return allText
}
