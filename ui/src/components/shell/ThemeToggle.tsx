import { Moon, Sun } from 'lucide-react'
import { setTheme, useTheme } from '../../lib/theme'
import { Button } from '../ui/Button'

export function ThemeToggle() {
  const { dark } = useTheme()
  return (
    <Button variant="ghost" size="icon" aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'} onClick={() => setTheme(dark ? 'light' : 'dark')}>
      {dark ? <Sun className="h-4 w-4" /> : <Moon className="h-4 w-4" />}
    </Button>
  )
}
