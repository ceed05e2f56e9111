// tsc cannot read single-file components (vue-tsc does not run on TypeScript 7's native
// compiler): the pages' logic lives in .ts modules, type-checked and tested; a .vue file is typed
// here only as a component.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';

  const component: DefineComponent<object, object, unknown>;
  export default component;
}
