Attribute VB_Name = "PerfXL"
' perfxl ribbon callbacks (tab in workbook/customUI.xml).
' Each button runs one Python macro of perfxl.xl.macros through xlwings' RunPython.
' No logic lives here; this module is ASCII only.
Option Explicit

' Ribbon: validate the active form sheet
Public Sub PerfXL_ValidateSheet(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.validate_active_sheet()"
End Sub

' Ribbon: validate every form sheet of this workbook
Public Sub PerfXL_ValidateAll(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.validate_all()"
End Sub

' Ribbon: remove the fills and notes perfxl added
Public Sub PerfXL_ClearMarks(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.clear_marks()"
End Sub

' Ribbon: rebuild the summary sheet from this workbook
Public Sub PerfXL_ConsolidateBook(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.consolidate_book()"
End Sub

' Ribbon: consolidate the workbooks of a folder
Public Sub PerfXL_ConsolidateFolder(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.consolidate_folder()"
End Sub

' Ribbon: roll multi-year projects forward to next year
Public Sub PerfXL_Rollover(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.rollover_book()"
End Sub

' Ribbon: add a blank form sheet
Public Sub PerfXL_NewProjectSheet(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.new_project_sheet()"
End Sub

' Ribbon: import published form text, one sheet per form
Public Sub PerfXL_ImportText(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.import_text()"
End Sub

' Ribbon: list the validation rules
Public Sub PerfXL_ShowRules(control As IRibbonControl)
    RunPython "import perfxl.xl.macros as m; m.show_rules()"
End Sub
