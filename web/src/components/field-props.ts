/** Props of one labelled form control (FormField, TextField). */
export interface FieldProps {
  /** The control's element id; its hint and error get `${id}-hint` and `${id}-error`. */
  id: string;
  label: string;
  hint?: string;
  error?: string | null;
  /** Label read by screen readers only (a row of similar inputs under one legend). */
  hideLabel?: boolean;
}
