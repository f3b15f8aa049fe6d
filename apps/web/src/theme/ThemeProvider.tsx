import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ChartTheme } from '@ipscope/charts';
import { rememberTheme } from '../components/serverCharts';

const KEY = 'ipscope.theme';

interface ThemeState {
  theme: ChartTheme;
  toggle: () => void;
}

const ThemeContext = createContext<ThemeState>({ theme: 'dark', toggle: () => undefined });

export function useTheme(): ThemeState {
  return useContext(ThemeContext);
}

function initialTheme(): ChartTheme {
  try {
    return window.localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

/** Dark by default (analysts work in dark rooms); the choice is remembered per browser (and in a cookie for the server's drawings) and set on `<html data-theme>` for the CSS. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [theme, setTheme] = useState<ChartTheme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    // The server draws an IP page's first charts in this theme.
    rememberTheme(theme);
    try {
      window.localStorage.setItem(KEY, theme);
    } catch {
      // Not remembered when storage is off; the theme still applies.
    }
  }, [theme]);
  const toggle = useCallback(() => setTheme((t) => (t === 'dark' ? 'light' : 'dark')), []);
  const value = useMemo(() => ({ theme, toggle }), [theme, toggle]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}
