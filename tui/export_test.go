package tui

// Test access to the screens, which the App itself reaches only through
// the screen interface and messages.

func (a *App) setupScreen() *setupModel     { return a.screens[screenSetup].(*setupModel) }
func (a *App) trainScreen() *trainModel     { return a.screens[screenTrain].(*trainModel) }
func (a *App) runsScreen() *runsModel       { return a.screens[screenRuns].(*runsModel) }
func (a *App) compareScreen() *compareModel { return a.screens[screenCompare].(*compareModel) }
