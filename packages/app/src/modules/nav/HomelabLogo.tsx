import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  full: { height: 30, width: 'auto' },
  icon: { height: 28, width: 'auto' },
});

/** The house-with-a-rack mark, shared by the sidebar and the favicon. */
const Mark = () => (
  <g>
    <path d="M32 4 4 28h8v30h40V28h8z" fill="#4fd1c5" />
    <rect x="20" y="30" width="24" height="6" rx="1" fill="#1f3b4d" />
    <rect x="20" y="39" width="24" height="6" rx="1" fill="#1f3b4d" />
    <rect x="20" y="48" width="24" height="6" rx="1" fill="#1f3b4d" />
  </g>
);

export const HomelabLogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.icon}
      viewBox="0 0 64 64"
      role="img"
      aria-label="HomeLab Portal"
    >
      <Mark />
    </svg>
  );
};

export const HomelabLogoFull = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.full}
      viewBox="0 0 300 64"
      role="img"
      aria-label="HomeLab Portal"
    >
      <Mark />
      <text
        x="74"
        y="42"
        fill="#ffffff"
        fontFamily="Helvetica, Arial, sans-serif"
        fontSize="30"
        fontWeight="700"
      >
        HomeLab Portal
      </text>
    </svg>
  );
};
