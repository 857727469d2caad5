import { reportProcessSchemeWrites } from '../helpers';
import { defineRule } from '../types';

export default defineRule({
  meta: {
    id: 'django/os-environ-https-no-effect',
    severity: 'low',
    title: "os.environ['HTTPS'] in settings does not make Django see HTTPS",
    kinds: ['django-settings'],
  },
  check: (ctx) => reportProcessSchemeWrites(ctx, 'django-settings'),
});
