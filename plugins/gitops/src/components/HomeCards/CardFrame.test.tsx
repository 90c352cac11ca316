import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { CardFrame } from './CardFrame';

const detail = { title: 'Drift report', url: '/drift' };

describe('CardFrame', () => {
  it('says its source is down, and still links to the detail', async () => {
    await renderInTestApp(
      <CardFrame
        what="Drift"
        loading={false}
        error={new Error('HTTP 503')}
        detail={detail}
      >
        <span>3 drift items</span>
      </CardFrame>,
    );
    expect(screen.getByText(/Drift is unavailable/)).toBeInTheDocument();
    expect(
      screen.getByText(/Its source did not answer \(HTTP 503\)/),
    ).toBeInTheDocument();
    expect(screen.queryByText('3 drift items')).toBeNull();
    expect(screen.getByText('Checked never')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Drift report' }).getAttribute('href'),
    ).toBe('/drift');
  });

  it('keeps the last good data with its age when a refresh fails', async () => {
    const checkedAt = new Date(Date.now() - 120_000).toISOString();
    await renderInTestApp(
      <CardFrame
        what="Drift"
        loading={false}
        error={new Error('HTTP 503')}
        checkedAt={checkedAt}
        errors={[{ source: 'forge', message: 'the forge answered HTTP 502' }]}
        detail={detail}
      >
        <span>3 drift items</span>
      </CardFrame>,
    );
    expect(screen.getByText('3 drift items')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Could not refresh (HTTP 503): showing what was read 2 min ago.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Could not read the forge: the forge answered HTTP 502'),
    ).toBeInTheDocument();
    expect(screen.getByText('Checked 2 min ago')).toBeInTheDocument();
  });
});
