import {
  createBaseThemeOptions,
  createUnifiedTheme,
  genPageTheme,
  palettes,
  shapes,
} from '@backstage/theme';

// Slate and teal: calm enough for a wall tablet, distinct from stock Backstage.
const headerColors = ['#1f3b4d', '#2c6e7f'];

export const homelabLightTheme = createUnifiedTheme({
  ...createBaseThemeOptions({
    palette: {
      ...palettes.light,
      primary: { main: '#2c6e7f' },
      secondary: { main: '#d97706' },
      navigation: {
        ...palettes.light.navigation,
        background: '#1f3b4d',
        indicator: '#4fd1c5',
        selectedColor: '#ffffff',
        color: '#c7d7e0',
      },
    },
  }),
  defaultPageTheme: 'home',
  pageTheme: {
    home: genPageTheme({ colors: headerColors, shape: shapes.wave }),
    documentation: genPageTheme({ colors: headerColors, shape: shapes.wave2 }),
    tool: genPageTheme({ colors: headerColors, shape: shapes.round }),
    service: genPageTheme({ colors: headerColors, shape: shapes.wave }),
    website: genPageTheme({ colors: headerColors, shape: shapes.wave }),
    library: genPageTheme({ colors: headerColors, shape: shapes.wave }),
    other: genPageTheme({ colors: headerColors, shape: shapes.wave }),
    app: genPageTheme({ colors: headerColors, shape: shapes.wave }),
    apis: genPageTheme({ colors: headerColors, shape: shapes.wave }),
  },
});

export const homelabDarkTheme = createUnifiedTheme({
  ...createBaseThemeOptions({
    palette: {
      ...palettes.dark,
      primary: { main: '#4fd1c5' },
      secondary: { main: '#f59e0b' },
      navigation: {
        ...palettes.dark.navigation,
        background: '#10212b',
        indicator: '#4fd1c5',
      },
    },
  }),
  defaultPageTheme: 'home',
  pageTheme: {
    home: genPageTheme({ colors: ['#10212b', '#1f3b4d'], shape: shapes.wave }),
    documentation: genPageTheme({
      colors: ['#10212b', '#1f3b4d'],
      shape: shapes.wave2,
    }),
    tool: genPageTheme({ colors: ['#10212b', '#1f3b4d'], shape: shapes.round }),
    other: genPageTheme({ colors: ['#10212b', '#1f3b4d'], shape: shapes.wave }),
  },
});
