package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

//go:embed data/*.gz
var embedded embed.FS

// Info is a dataset's entry in the catalogue: what List returns.
type Info struct {
	Name        string `json:"name"`
	Task        Task   `json:"task"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Shape       string `json:"shape"` // "150×4", for people
	// Rows and Features are the shape as numbers, as 'datasets show
	// --json' gives them (a synthetic set's default sample count).
	Rows     int `json:"rows"`
	Features int `json:"features"`
}

// real describes one embedded dataset.
type real struct {
	name, desc string
	task       Task
	rows, cols int // as datasets show counts them
	source     string
	citation   string
	license    string
	load       func() (*Table, error)
}

var reals = []real{
	{"iris", "Fisher's iris flowers: 4 measurements, 3 species", Multiclass, 150, 4,
		"UCI Machine Learning Repository, id 53 (scikit-learn's copy)",
		"R.A. Fisher, \"The use of multiple measurements in taxonomic problems\", Annals of Eugenics 7 (1936); doi:10.24432/C56C76",
		"CC BY 4.0 (UCI); scikit-learn's copy BSD-3-Clause", loadIris},
	{"wine", "chemical analysis of 3 Italian cultivars; scaling matters (proline is ~1000×)", Multiclass, 178, 13,
		"UCI Machine Learning Repository, id 109 (scikit-learn's copy)",
		"S. Aeberhard and M. Forina, Wine, UCI (1991); doi:10.24432/C5PC7J",
		"CC BY 4.0", loadWine},
	{"breast-cancer", "Wisconsin diagnostic breast cancer: malignant or benign from 30 cell-nucleus features", Binary, 569, 30,
		"UCI Machine Learning Repository, id 17 (scikit-learn's copy)",
		"W.N. Street, W.H. Wolberg and O.L. Mangasarian, \"Nuclear feature extraction for breast tumor diagnosis\", SPIE 1905 (1993); doi:10.24432/C5DW2B",
		"CC BY 4.0", loadBreastCancer},
	{"digits", "8×8 images of handwritten digits, pixels 0..16", Multiclass, 1797, 64,
		"UCI Optical Recognition of Handwritten Digits, id 80, test part (scikit-learn's copy)",
		"E. Alpaydin and C. Kaynak, \"Cascading Classifiers\", Kybernetika (1998); doi:10.24432/C50P49",
		"CC BY 4.0", loadDigits},
	{"diabetes", "disease progression one year after baseline, from 10 raw measurements", Regression, 442, 10,
		"Efron, Hastie, Johnstone and Tibshirani's diabetes data (scikit-learn's copy, raw units)",
		"B. Efron et al., \"Least Angle Regression\", Annals of Statistics 32 (2004) 407-499",
		"no explicit licence from the authors; redistributed in scikit-learn under BSD-3-Clause", loadDiabetes},
	{"penguins", "Palmer Archipelago penguins: species from size, island and sex (text columns, missing values)", Multiclass, 333, 10,
		"palmerpenguins R package 0.1.1, Palmer Station LTER",
		"A.M. Horst, A.P. Hill and K.B. Gorman, palmerpenguins (2020), doi:10.5281/zenodo.3960218; Gorman, Williams and Fraser, PLoS ONE 9(3):e90081 (2014)",
		"CC0", loadPenguins},
	{"concrete", "compressive strength of concrete from its mix and age", Regression, 1030, 8,
		"UCI Concrete Compressive Strength, id 165 (R package modeldata)",
		"I-C. Yeh, \"Modeling of strength of high-performance concrete using artificial neural networks\", Cement and Concrete Research 28 (1998); doi:10.24432/C5PK67",
		"CC BY 4.0 (UCI); modeldata MIT", loadConcrete},
	{"titanic", "Titanic passengers: survival from class, sex, age, fare (categoricals, missing values imputed)", Binary, 1309, 10,
		"titanic3 (T. Cason, F.E. Harrell Jr.), OpenML data set 40945",
		"F.E. Harrell Jr., Regression Modeling Strategies (2001)",
		"OpenML licence field \"Public\"", loadTitanic},
	{"auto-mpg", "fuel economy (mpg) of 1970s cars from engine and weight", Regression, 392, 9,
		"StatLib cars / UCI Auto MPG (vega-datasets' copy)",
		"J.R. Quinlan, \"Combining instance-based and model-based learning\", ICML (1993)",
		"public domain (StatLib)", loadAutoMPG},
	{"fashion-mnist-3k", "28×28 greyscale clothing images, 10 classes (first 3,000 of the test set)", Multiclass, 3000, 784,
		"Fashion-MNIST by Zalando Research",
		"H. Xiao, K. Rasul and R. Vollgraf, \"Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms\", arXiv:1708.07747 (2017)",
		"MIT, Copyright (c) 2017 Zalando SE", loadFashion},
	{"credit", "credit scoring: a loan applicant is a good or bad risk (categoricals, missing values imputed, positive class bad)", Binary, 4454, 26,
		"Credit scoring data of L.A. Belanche Muñoz, via G. Sanchez's CreditScoring repository (R package modeldata's credit_data)",
		"L.A. Belanche Muñoz, credit scoring data; github.com/gastonstat/CreditScoring; M. Kuhn, R package modeldata 1.1.0",
		"MIT (modeldata, Copyright (c) 2019 Max Kuhn, RStudio)", loadCredit},
}

// List returns every built-in dataset: the synthetic ones first, then the
// embedded real ones.
func List() []Info {
	var out []Info
	for _, s := range synthetics {
		rows := DefaultSamples
		if s.name == "seed-example" {
			rows = 4
		}
		out = append(out, Info{Name: s.name, Task: s.task, Kind: "synthetic", Description: s.desc,
			Shape: fmt.Sprintf("%d×2", rows), Rows: rows, Features: 2})
	}
	for _, r := range reals {
		out = append(out, Info{Name: r.name, Task: r.task, Kind: "embedded", Description: r.desc,
			Shape: fmt.Sprintf("%d×%d", r.rows, r.cols), Rows: r.rows, Features: r.cols})
	}
	return out
}

// Known reports whether name is a built-in dataset.
func Known(name string) bool {
	if _, ok := findSynthetic(name); ok {
		return true
	}
	for _, r := range reals {
		if r.name == name {
			return true
		}
	}
	return false
}

// Open returns the built-in dataset name. samples, noise and seed apply to
// synthetic sets only (samples 0 means DefaultSamples).
func Open(name string, samples int, noise float64, seed uint64) (*Table, error) {
	if _, ok := findSynthetic(name); ok {
		if samples == 0 {
			samples = DefaultSamples
		}
		return Generate(name, samples, noise, seed)
	}
	for _, r := range reals {
		if r.name == name {
			t, err := r.load()
			if err != nil {
				return nil, fmt.Errorf("embedded dataset %s: %w", name, err)
			}
			t.Meta.Name, t.Meta.Description, t.Meta.Task, t.Meta.Kind = r.name, r.desc, r.task, "embedded"
			t.Meta.Source, t.Meta.Citation, t.Meta.License = r.source, r.citation, r.license
			t.finishMeta()
			return t, nil
		}
	}
	return nil, fmt.Errorf("unknown dataset %q (see 'workbench datasets')", name)
}

func openGz(name string) ([]byte, error) {
	f, err := embedded.Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// loadSklearnCSV reads scikit-learn's format: a first line
// "n_samples,n_features,class names..." then numeric rows ending in the class.
func loadSklearnCSV(file string, features []string) (*Table, error) {
	raw, err := openGz(file)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	head := strings.Split(strings.TrimSpace(lines[0]), ",")
	n, _ := strconv.Atoi(head[0])
	d, _ := strconv.Atoi(head[1])
	if d != len(features) || n != len(lines)-1 {
		return nil, fmt.Errorf("%s: header says %d×%d, found %d rows and %d names", file, n, d, len(lines)-1, len(features))
	}
	t := &Table{N: n, D: d, X: make([]float64, 0, n*d), Y: make([]float64, 0, n)}
	t.Meta.FeatureNames = features
	t.Meta.ClassNames = head[2:]
	for i, l := range lines[1:] {
		cells := strings.Split(strings.TrimSpace(l), ",")
		if len(cells) != d+1 {
			return nil, fmt.Errorf("%s: line %d: expected %d fields, got %d", file, i+2, d+1, len(cells))
		}
		for j, c := range cells {
			v, err := strconv.ParseFloat(c, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: line %d, column %d: %v", file, i+2, j+1, err)
			}
			if j < d {
				t.X = append(t.X, v)
			} else {
				t.Y = append(t.Y, v)
			}
		}
	}
	return t, nil
}

func loadIris() (*Table, error) {
	return loadSklearnCSV("iris.csv.gz", []string{"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"})
}

func loadWine() (*Table, error) {
	return loadSklearnCSV("wine_data.csv.gz", []string{"alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium",
		"total_phenols", "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
		"od280/od315_of_diluted_wines", "proline"})
}

func loadBreastCancer() (*Table, error) {
	measures := []string{"radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
		"concave points", "symmetry", "fractal dimension"}
	var names []string
	for _, m := range measures {
		names = append(names, "mean "+m)
	}
	for _, m := range measures {
		names = append(names, m+" error")
	}
	for _, m := range measures {
		names = append(names, "worst "+m)
	}
	return loadSklearnCSV("breast_cancer.csv.gz", names)
}

// readNumbers parses whitespace- or comma-separated numbers, row by row.
func readNumbers(file string, want int) ([][]float64, error) {
	raw, err := openGz(file)
	if err != nil {
		return nil, err
	}
	var rows [][]float64
	sc := bufio.NewScanner(bytes.NewReader(raw))
	line := 0
	for sc.Scan() {
		line++
		f := strings.FieldsFunc(sc.Text(), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(f) == 0 {
			continue
		}
		if len(f) != want {
			return nil, fmt.Errorf("%s: line %d: expected %d fields, got %d", file, line, want, len(f))
		}
		row := make([]float64, want)
		for j, c := range f {
			if row[j], err = strconv.ParseFloat(c, 64); err != nil {
				return nil, fmt.Errorf("%s: line %d, column %d: %v", file, line, j+1, err)
			}
		}
		rows = append(rows, row)
	}
	return rows, sc.Err()
}

func loadDigits() (*Table, error) {
	rows, err := readNumbers("digits.csv.gz", 65)
	if err != nil {
		return nil, err
	}
	t := &Table{N: len(rows), D: 64}
	for _, r := range rows {
		t.X = append(t.X, r[:64]...)
		t.Y = append(t.Y, r[64])
	}
	for i := 0; i < 64; i++ {
		t.Meta.FeatureNames = append(t.Meta.FeatureNames, fmt.Sprintf("pixel_%d_%d", i/8, i%8))
	}
	t.Meta.ClassNames = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	t.Meta.ImageH, t.Meta.ImageW = 8, 8
	return t, nil
}

func loadDiabetes() (*Table, error) {
	x, err := readNumbers("diabetes_data_raw.csv.gz", 10)
	if err != nil {
		return nil, err
	}
	y, err := readNumbers("diabetes_target.csv.gz", 1)
	if err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("diabetes: %d rows of data but %d targets", len(x), len(y))
	}
	t := &Table{N: len(x), D: 10}
	for i := range x {
		t.X = append(t.X, x[i]...)
		t.Y = append(t.Y, y[i][0])
	}
	t.Meta.FeatureNames = []string{"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"}
	return t, nil
}

// loadEmbeddedCSV reads an embedded CSV through the same path as a user's file.
func loadEmbeddedCSV(file string, o CSVOptions) (*Table, error) {
	raw, err := openGz(file)
	if err != nil {
		return nil, err
	}
	o.Name = strings.TrimSuffix(file, ".gz")
	return Load(bytes.NewReader(raw), o)
}

func loadPenguins() (*Table, error) {
	return loadEmbeddedCSV("penguins.csv.gz", CSVOptions{Target: "species", Missing: MissingDropRows})
}

func loadTitanic() (*Table, error) {
	bin := Binary
	t, err := loadEmbeddedCSV("titanic.csv.gz", CSVOptions{Target: "survived", Task: &bin, Missing: MissingImpute})
	if err == nil {
		t.Meta.ClassNames = []string{"died", "survived"}
	}
	return t, err
}

// loadCredit reads the credit-scoring set with "bad" as the positive class
// (index 1): the class a lender wants to find. Missing cells are imputed
// from the training split, and the set's default scaling is standard
// (Income and Assets are thousands, Seniority units).
func loadCredit() (*Table, error) {
	bin := Binary
	t, err := loadEmbeddedCSV("credit.csv.gz", CSVOptions{Target: "Status", Task: &bin, Missing: MissingImpute})
	if err != nil {
		return nil, err
	}
	if err := t.setPositive("bad"); err != nil {
		return nil, err
	}
	t.Meta.DefaultScale = ScaleStandard.String()
	return t, nil
}

func loadConcrete() (*Table, error) {
	return loadEmbeddedCSV("concrete.csv.gz", CSVOptions{Target: "compressive_strength"})
}

func loadAutoMPG() (*Table, error) {
	return loadEmbeddedCSV("auto_mpg.csv.gz", CSVOptions{Target: "mpg", Ignore: []string{"name"}, Missing: MissingDropRows})
}

var fashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

func loadFashion() (*Table, error) {
	img, err := openGz("fashion_mnist_test3k-images-idx3-ubyte.gz")
	if err != nil {
		return nil, err
	}
	lab, err := openGz("fashion_mnist_test3k-labels-idx1-ubyte.gz")
	if err != nil {
		return nil, err
	}
	if len(img) < 16 || binary.BigEndian.Uint32(img) != 0x803 || len(lab) < 8 || binary.BigEndian.Uint32(lab) != 0x801 {
		return nil, fmt.Errorf("fashion-mnist: bad IDX magic")
	}
	n := int(binary.BigEndian.Uint32(img[4:]))
	h, w := int(binary.BigEndian.Uint32(img[8:])), int(binary.BigEndian.Uint32(img[12:]))
	if int(binary.BigEndian.Uint32(lab[4:])) != n || len(img) != 16+n*h*w || len(lab) != 8+n {
		return nil, fmt.Errorf("fashion-mnist: sizes disagree")
	}
	t := &Table{N: n, D: h * w, X: make([]float64, n*h*w), Y: make([]float64, n)}
	for i, b := range img[16:] {
		t.X[i] = float64(b)
	}
	for i, b := range lab[8:] {
		t.Y[i] = float64(b)
	}
	for i := 0; i < h*w; i++ {
		t.Meta.FeatureNames = append(t.Meta.FeatureNames, fmt.Sprintf("pixel_%d_%d", i/w, i%w))
	}
	t.Meta.ClassNames = fashionClasses
	t.Meta.ImageH, t.Meta.ImageW = h, w
	return t, nil
}

// Names returns the built-in dataset names, sorted.
func Names() []string {
	var out []string
	for _, i := range List() {
		out = append(out, i.Name)
	}
	sort.Strings(out)
	return out
}
